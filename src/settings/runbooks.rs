//! `[[runbook]]`: runbooks as data, read from the config file, from the files of the directory
//! `runbooks_dir` names, and from incidentctl itself (the seed's five, `src/runbooks/builtin.toml`,
//! in the same format). Everything that can be checked without the checks and the command tree
//! is checked here, and every error names the file and the line.

use super::CheckDefinition;
use crate::error::{Error, Result};
use crate::types::runbook::{
    is_runbook_name, Condition, Expectation, Investigation, Origin, Param, Reference,
    RunbookDefinition, Step,
};
use crate::types::Status;
use serde::Deserialize;
use std::path::Path;
use toml::Spanned;

/// The seed's five runbooks, as written.
const BUILT_IN: &str = include_str!("../runbooks/builtin.toml");
/// How built-in definitions are named in messages.
pub const BUILT_IN_SOURCE: &str = "src/runbooks/builtin.toml";

/// One `[[runbook]]` table as written: names and references keep where they were.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRunbook {
    name: Spanned<String>,
    title: String,
    #[serde(default)]
    symptoms: Vec<String>,
    #[serde(default)]
    notes: Vec<String>,
    #[serde(default, rename = "param")]
    params: Vec<RawParam>,
    #[serde(default)]
    investigate: Vec<RawInvestigation>,
    #[serde(default)]
    resolve: Vec<RawStep>,
    #[serde(default)]
    verify: Vec<RawExpectation>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParam {
    name: Spanned<String>,
    #[serde(default)]
    description: String,
    example: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInvestigation {
    title: String,
    checks: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    title: String,
    action: Spanned<String>,
    #[serde(default)]
    args: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    when: OneOrMany<RawCondition>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    check: Spanned<String>,
    status: Spanned<Status>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExpectation {
    check: Spanned<String>,
    expect: Spanned<Status>,
}

/// `when = { … }` or `when = [{ … }, { … }]`: one table or a list of them, each read with its
/// own errors (an unknown key in either form is named as such).
#[derive(Debug)]
struct OneOrMany<T>(Vec<T>);

impl<T> Default for OneOrMany<T> {
    fn default() -> Self {
        OneOrMany(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
        struct Visitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Visitor<T> {
            type Value = OneOrMany<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a table or a list of tables")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(|one| OneOrMany(vec![one]))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                seq: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                Vec::<T>::deserialize(SeqAccessDeserializer::new(seq)).map(OneOrMany)
            }
        }
        d.deserialize_any(Visitor(std::marker::PhantomData))
    }
}

/// Turns byte offsets into lines for one file's text.
pub(super) struct Lines<'a> {
    pub file: &'a str,
    pub text: &'a str,
}

impl Lines<'_> {
    pub fn origin(&self, span: std::ops::Range<usize>) -> Origin {
        let start = span.start.min(self.text.len());
        Origin {
            file: self.file.to_string(),
            line: self.text[..start].matches('\n').count() + 1,
        }
    }

    fn reference(&self, s: Spanned<String>) -> Reference {
        Reference {
            origin: self.origin(s.span()),
            name: s.into_inner(),
        }
    }
}

/// The definitions of one file, with their lines.
pub(super) fn definitions(
    raw: Vec<RawRunbook>,
    lines: &Lines,
    built_in: bool,
) -> Vec<RunbookDefinition> {
    raw.into_iter()
        .map(|r| RunbookDefinition {
            origin: lines.origin(r.name.span()),
            name: r.name.into_inner(),
            title: r.title,
            symptoms: r.symptoms,
            notes: r.notes,
            params: r
                .params
                .into_iter()
                .map(|p| Param {
                    name: p.name.into_inner(),
                    description: p.description,
                    example: p.example,
                })
                .collect(),
            investigate: r
                .investigate
                .into_iter()
                .map(|i| Investigation {
                    title: i.title,
                    checks: i.checks.into_iter().map(|c| lines.reference(c)).collect(),
                })
                .collect(),
            resolve: r.resolve.into_iter().map(|s| step(s, lines)).collect(),
            verify: r
                .verify
                .into_iter()
                .map(|v| Expectation {
                    check: lines.reference(v.check),
                    expect: *v.expect.get_ref(),
                })
                .collect(),
            built_in,
        })
        .collect()
}

fn step(s: RawStep, lines: &Lines) -> Step {
    let action = lines.reference(s.action);
    let (args, args_origin) = match s.args {
        Some(args) => {
            let origin = lines.origin(args.span());
            (args.into_inner(), origin)
        }
        None => (Vec::new(), action.origin.clone()),
    };
    Step {
        title: s.title,
        action,
        args,
        args_origin,
        when: s
            .when
            .0
            .into_iter()
            .map(|c| Condition {
                check: lines.reference(c.check),
                status: *c.status.get_ref(),
            })
            .collect(),
        note: s.note,
    }
}

/// The seed's five, parsed once per process: they are part of the program, and a mistake in
/// them is a bug a unit test catches.
pub fn built_in() -> Vec<RunbookDefinition> {
    use std::sync::OnceLock;
    static PARSED: OnceLock<Vec<RunbookDefinition>> = OnceLock::new();
    PARSED
        .get_or_init(|| {
            #[derive(Deserialize)]
            #[serde(deny_unknown_fields)]
            struct File {
                runbook: Vec<RawRunbook>,
            }
            // A unit test parses the same text and fails on any error: none reaches a user.
            let file: File = toml::from_str(BUILT_IN).unwrap_or(File {
                runbook: Vec::new(),
            });
            let lines = Lines {
                file: BUILT_IN_SOURCE,
                text: BUILT_IN,
            };
            definitions(file.runbook, &lines, true)
        })
        .clone()
}

/// One file of the runbooks directory: a team's runbooks, and the checks they use.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RunbookFile {
    #[serde(default, rename = "check")]
    pub checks: Vec<CheckDefinition>,
    #[serde(default, rename = "runbook")]
    pub runbooks: Vec<RawRunbook>,
}

/// The most files a runbooks directory may hold: a directory of thousands is a mistake (a
/// checkout's root named by accident), not a team's runbooks.
const MAX_FILES: usize = 500;

/// The `*.toml` files of `dir`, in name order, each read only when it can be trusted as the
/// config file is (`read`): a runbook decides what incidentctl changes.
pub(super) fn files_of(dir: &Path, key: &str) -> Result<Vec<std::path::PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Error::config(
            key,
            format!("{}: cannot read the runbooks directory: {e}", dir.display()),
        )
    })?;
    // Counted as they are listed: a directory of a million entries is refused at the limit,
    // not collected first.
    let mut files: Vec<std::path::PathBuf> = Vec::new();
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        if path.extension().is_some_and(|x| x == "toml") {
            files.push(path);
            if files.len() > MAX_FILES {
                return Err(Error::config(
                    key,
                    format!(
                        "{}: more than {MAX_FILES} .toml files; a runbooks directory holds at most {MAX_FILES}",
                        dir.display()
                    ),
                ));
            }
        }
    }
    files.sort();
    Ok(files)
}

/// An error about what is written at `origin`: `FILE line N: message`.
pub fn at(origin: &Origin, message: impl std::fmt::Display) -> Error {
    Error::config(origin.to_string(), message)
}

/// Every definition on its own and against the others, and the `[[check]]` tables' runbooks:
/// what can be checked without the checks' table and the command tree (`runbooks::validate`
/// does the rest once they are known).
pub fn validate(runbooks: &[RunbookDefinition], checks: &[CheckDefinition]) -> Result<()> {
    for (i, r) in runbooks.iter().enumerate() {
        validate_one(r)?;
        if let Some(first) = runbooks[..i].iter().find(|e| e.name == r.name) {
            let why = if first.built_in {
                format!(
                    "'{}' is a built-in runbook: choose another name (a team prefix: payments-…)",
                    r.name
                )
            } else {
                format!(
                    "runbook '{}' is defined twice (first at {})",
                    r.name, first.origin
                )
            };
            return Err(at(&r.origin, why));
        }
    }
    let known: Vec<&str> = runbooks.iter().map(|r| r.name.as_str()).collect();
    for (i, c) in checks.iter().enumerate() {
        for name in &c.runbooks {
            if !known.contains(&name.as_str()) {
                let message = format!(
                    "check {}: '{name}' is not a runbook; known: {}",
                    c.id,
                    known.join(", ")
                );
                return Err(match &c.origin {
                    Some(origin) => at(origin, message),
                    None => Error::config(format!("check[{i}] ({}).runbooks", c.id), message),
                });
            }
        }
    }
    Ok(())
}

fn validate_one(r: &RunbookDefinition) -> Result<()> {
    if !is_runbook_name(&r.name) {
        return Err(at(&r.origin, format!("'{}' is not a runbook name: lowercase letters, digits and '-', starting with a letter (payments-backlog)", r.name)));
    }
    if r.title.trim().is_empty() {
        return Err(at(&r.origin, format!("runbook {}: title is empty", r.name)));
    }
    for (i, p) in r.params.iter().enumerate() {
        let is_word = p.name.starts_with(|c: char| c.is_ascii_lowercase())
            && p.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !is_word || r.params[..i].iter().any(|e| e.name == p.name) {
            return Err(at(&r.origin, format!("runbook {}: param '{}' must be a new name of lowercase letters, digits and '_'", r.name, p.name)));
        }
    }
    for step in &r.resolve {
        for placeholder in placeholders(&step.args) {
            if !r.params.iter().any(|p| p.name == placeholder) {
                let known: Vec<&str> = r.params.iter().map(|p| p.name.as_str()).collect();
                return Err(at(&step.action.origin, format!("runbook {}, step '{}': {{{{{placeholder}}}}} is not a param of the runbook; its params: {}", r.name, step.title, if known.is_empty() { "none".to_string() } else { known.join(", ") })));
            }
        }
        for c in &step.when {
            if c.status == Status::Unknown {
                return Err(at(&c.check.origin, format!("runbook {}: a condition's status is ok, warning or critical (unknown never holds: it means the check could not tell)", r.name)));
            }
        }
    }
    for v in &r.verify {
        if !matches!(v.expect, Status::Ok | Status::Warning) {
            return Err(at(
                &v.check.origin,
                format!(
                    "runbook {}: expect is ok or warning: the level {} must be at or below for the symptoms to be gone",
                    r.name, v.check.name
                ),
            ));
        }
    }
    Ok(())
}

/// The `{{name}}` placeholders in a step's arguments, in order.
pub fn placeholders(args: &[String]) -> Vec<String> {
    let found = std::cell::RefCell::new(Vec::new());
    let _ = fill(args, &|name| {
        found.borrow_mut().push(name.to_string());
        Some(String::new())
    });
    found.into_inner()
}

/// `args` with each `{{name}}` replaced by its value; None names the first without a value.
pub fn fill(
    args: &[String],
    value: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<String>, String> {
    let mut out = Vec::with_capacity(args.len());
    for arg in args {
        let mut text = String::new();
        let mut rest = arg.as_str();
        while let Some(start) = rest.find("{{") {
            let Some(len) = rest[start + 2..].find("}}") else {
                break;
            };
            let name = rest[start + 2..start + 2 + len].trim();
            text.push_str(&rest[..start]);
            text.push_str(&value(name).ok_or_else(|| name.to_string())?);
            rest = &rest[start + 2 + len + 2..];
        }
        text.push_str(rest);
        out.push(text);
    }
    Ok(out)
}

/// `config show`: the team's runbooks, each with where it is defined (the built-in ones are
/// always there: `runbook list` shows every one).
pub fn team_names<S: serde::Serializer>(
    runbooks: &[RunbookDefinition],
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    let team: Vec<&RunbookDefinition> = runbooks.iter().filter(|r| !r.built_in).collect();
    let mut seq = s.serialize_seq(Some(team.len()))?;
    for r in team {
        seq.serialize_element(&format!("{} ({})", r.name, r.origin))?;
    }
    seq.end()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> std::result::Result<Vec<RunbookDefinition>, String> {
        #[derive(Deserialize)]
        struct File {
            runbook: Vec<RawRunbook>,
        }
        let file: File = toml::from_str(text).map_err(|e| e.message().to_string())?;
        let lines = Lines {
            file: "team.toml",
            text,
        };
        let defs = definitions(file.runbook, &lines, false);
        let mut all = built_in();
        all.extend(defs.clone());
        validate(&all, &[]).map_err(|e| e.to_string())?;
        Ok(defs)
    }

    const TEAM: &str = r#"
[[runbook]]
name = "payments-backlog"
title = "Payments queue backlog"
symptoms = ["payments confirmed late"]

[[runbook.investigate]]
title = "How deep is the queue?"
checks = ["payments.queue_depth"]

[[runbook.resolve]]
title = "Scale the workers up"
action = "scale"
args = ["payments-worker", "--replicas", "6"]
when = { check = "payments.queue_depth", status = "warning" }

[[runbook.verify]]
check = "payments.queue_depth"
expect = "ok"
"#;

    #[test]
    fn the_built_in_runbooks_parse_and_are_the_seeds_five() {
        let text = BUILT_IN;
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct File {
            #[allow(dead_code)]
            runbook: Vec<RawRunbook>,
        }
        toml::from_str::<File>(text).expect("builtin.toml parses");
        let names: Vec<String> = built_in().into_iter().map(|r| r.name).collect();
        assert_eq!(
            names,
            [
                "app-down",
                "database",
                "error-rate",
                "performance",
                "security"
            ]
        );
        validate(&built_in(), &[]).expect("the built-in runbooks are valid");
    }

    #[test]
    fn a_team_runbook_keeps_the_line_of_each_reference() {
        let defs = parse(TEAM).unwrap();
        let r = &defs[0];
        assert_eq!(r.origin.line, 3);
        assert_eq!(r.investigate[0].checks[0].origin.line, 9);
        let step = &r.resolve[0];
        assert_eq!(
            (step.action.name.as_str(), step.action.origin.line),
            ("scale", 13)
        );
        assert_eq!(step.when[0].check.origin.line, 15);
        assert_eq!(step.when[0].status, Status::Warning);
        assert_eq!(r.verify[0].expect, Status::Ok);
    }

    #[test]
    fn when_takes_one_table_or_a_list_and_names_an_unknown_key_in_either() {
        let list = TEAM.replace(
            "when = { check = \"payments.queue_depth\", status = \"warning\" }",
            "when = [{ check = \"a.b\", status = \"critical\" }, { check = \"c.d\", status = \"ok\" }]",
        );
        let defs = parse(&list).unwrap();
        assert_eq!(defs[0].resolve[0].when.len(), 2);
        let typo = TEAM.replace("status = \"warning\"", "statu = \"warning\"");
        assert!(parse(&typo).unwrap_err().contains("unknown field `statu`"));
        let typo = list.replace("status = \"ok\"", "stats = \"ok\"");
        assert!(parse(&typo).unwrap_err().contains("unknown field `stats`"));
    }

    #[test]
    fn bad_definitions_name_the_file_and_line() {
        let clash = TEAM.replace("payments-backlog", "app-down");
        let e = parse(&clash).unwrap_err();
        assert!(
            e.starts_with("team.toml line 3: 'app-down' is a built-in runbook"),
            "{e}"
        );
        let bad_name = TEAM.replace("payments-backlog", "Payments");
        assert!(parse(&bad_name)
            .unwrap_err()
            .contains("is not a runbook name"));
        let unknown = TEAM.replace("expect = \"ok\"", "expect = \"critical\"");
        assert!(parse(&unknown)
            .unwrap_err()
            .contains("expect is ok or warning"));
        let placeholder = TEAM.replace("\"6\"", "\"{{replicas}}\"");
        let e = parse(&placeholder).unwrap_err();
        assert!(
            e.starts_with("team.toml line 13: runbook payments-backlog, step 'Scale the workers up': {{replicas}} is not a param of the runbook; its params: none"),
            "{e}"
        );
    }

    #[test]
    fn a_checks_runbooks_must_name_runbooks() {
        let check = |runbooks: Vec<String>| CheckDefinition {
            id: "payments.queue_depth".into(),
            runbooks,
            description: String::new(),
            kind: super::super::CheckKind::Promql,
            query: Some("up".into()),
            url: None,
            expect_status: None,
            body_regex: None,
            resource: None,
            selector: None,
            field: None,
            unit: String::new(),
            warning: 1.0,
            critical: 2.0,
            direction: Default::default(),
            origin: Some(Origin {
                file: "c.toml".into(),
                line: 4,
            }),
        };
        let e = validate(&built_in(), &[check(vec!["perfomance".into()])])
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("c.toml line 4: check payments.queue_depth: 'perfomance' is not a runbook; known: app-down, database, error-rate, performance, security"),
            "{e}"
        );
        assert!(validate(&built_in(), &[check(vec!["performance".into()])]).is_ok());
    }

    #[test]
    fn placeholders_are_found_and_filled() {
        let args = vec![
            "{{cidr}}".to_string(),
            "--x=a{{ n }}b".to_string(),
            "{x}".into(),
        ];
        assert_eq!(placeholders(&args), ["cidr", "n"]);
        let filled = fill(&args, &|name| {
            (name == "cidr").then(|| "10.0.0.1".to_string())
        });
        assert_eq!(filled, Err("n".to_string()));
        let filled = fill(&args, &|name| Some(name.to_uppercase())).unwrap();
        assert_eq!(filled, ["CIDR", "--x=aNb", "{x}"]);
    }
}
