//! A resolution step's words: its action and arguments, params filled in, and the exact
//! command line they make. (`cli::step` parses them as the command they name.)

use crate::settings::runbooks::fill;
use crate::settings::Settings;
use crate::types::runbook::{Param, Step};

/// The params' values given (`--set NAME=VALUE`).
pub type Values = Vec<(String, String)>;

/// The step's words after `incidentctl`, its params filled from `values`; the name of the
/// first param without a value when one is missing.
pub fn words(step: &Step, values: &Values) -> Result<Vec<String>, String> {
    let args = fill(&step.args, &|name| {
        values
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    })?;
    Ok(step
        .action
        .name
        .split_whitespace()
        .map(str::to_string)
        .chain(args)
        .collect())
}

/// The step's words with each missing param shown as its name in capitals (`CIDR`): what a
/// page shows when the value is not known.
pub fn shown_words(step: &Step, values: &Values) -> Vec<String> {
    let with_names: Values = placeholders_shown(step, values);
    words(step, &with_names).unwrap_or_default()
}

fn placeholders_shown(step: &Step, values: &Values) -> Values {
    let mut all = values.clone();
    for name in crate::settings::runbooks::placeholders(&step.args) {
        if !all.iter().any(|(n, _)| *n == name) {
            all.push((name.clone(), name.to_uppercase()));
        }
    }
    all
}

/// The values to check a step with when loading: each param's example.
pub fn examples(params: &[Param]) -> Values {
    params
        .iter()
        .map(|p| (p.name.clone(), p.example.clone()))
        .collect()
}

/// The command line as it would run: `incidentctl scale payments-worker --replicas 6 -n
/// payments`, each word shell-quoted, with the namespace (and context) it runs against.
pub fn command_line(words: &[String], settings: &Settings) -> String {
    let mut all: Vec<&str> = vec!["incidentctl"];
    all.extend(words.iter().map(String::as_str));
    all.extend(["-n", settings.namespace.as_str()]);
    if let Some(context) = &settings.kubernetes.context {
        all.extend(["--context", context.as_str()]);
    }
    shlex::try_join(all.iter().copied()).unwrap_or_else(|_| all.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::runbook::{Origin, Reference};

    fn step(action: &str, args: &[&str]) -> Step {
        Step {
            title: "t".into(),
            action: Reference {
                name: action.into(),
                origin: Origin {
                    file: "f".into(),
                    line: 1,
                },
            },
            args: args.iter().map(|a| a.to_string()).collect(),
            args_origin: Origin {
                file: "f".into(),
                line: 2,
            },
            when: Vec::new(),
            note: None,
        }
    }

    #[test]
    fn params_fill_the_words_and_show_as_their_names_when_missing() {
        let s = step("security block-ip", &["{{cidr}}"]);
        assert_eq!(words(&s, &Vec::new()), Err("cidr".to_string()));
        let given = vec![("cidr".to_string(), "10.0.0.1".to_string())];
        assert_eq!(
            words(&s, &given).unwrap(),
            ["security", "block-ip", "10.0.0.1"]
        );
        assert_eq!(
            shown_words(&s, &Vec::new()),
            ["security", "block-ip", "CIDR"]
        );
        let settings = crate::checks::default_settings();
        assert_eq!(
            command_line(
                &words(&s, &vec![("cidr".into(), "a b".into())]).unwrap(),
                &settings
            ),
            "incidentctl security block-ip 'a b' -n reconciliation"
        );
    }
}
