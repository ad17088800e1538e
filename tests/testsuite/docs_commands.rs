//! What the docs say is what it does: every fenced block of README.md and docs/*.md runs against
//! a sandbox of its own (the seeded incident, real servers and a real control plane), in the
//! order of the pages, and each command's exit code and shown output are checked against the
//! doc. A block that cannot run is marked in the page, with the reason; an unmarked new block is
//! run. The rules, for whoever writes a page (docs/development.md says the same):
//!
//! - A ```sh (or bash) block is a script: each command (a line, or lines joined by `\`) runs in
//!   one bash per block, so variables and `export`s carry to the next command. Its exit code
//!   (the first command of a pipe; the others must exit 0) must be 0, or the number its comment
//!   gives as `exit N` / `exits N`. A comment `prints "TEXT"` checks a line of its output, with
//!   `<anything>` in TEXT matching any text.
//! - A ```toml block is a config file: `incidentctl config show --config BLOCK` must take it
//!   (exit 0) without a warning.
//! - Any other block (output, a synopsis, a layout) and anything not to run is marked by an HTML
//!   comment on the line right above the fence: `<!-- docs-test: not run: REASON -->` for the
//!   whole block, or `<!-- docs-test: not run `PART`: REASON -->` for its commands holding PART.
//!
//! - An inline command in the prose (`` `incidentctl diagnose --list` ``) is parsed by the real
//!   CLI (`--help` appended: every subcommand and flag it names must exist); one with
//!   placeholders (a word in capitals, `[`, `|`, `…`) is a synopsis, counted as not run.
//!
//! Each block runs in a fresh directory (with the checkout's `man/`) and an empty incident store
//! and audit log of its own.
//! The run prints how many commands ran, how many are marked not run (with their reasons) and
//! how many failed; it fails if any did, or if a block is neither run nor marked.

use incidentctl_sandbox::scenario::Scenario;
use incidentctl_sandbox::world::World;
use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

/// Longest a block may take: the slowest (the incident's walk-through) takes seconds.
const BLOCK_TIMEOUT: Duration = Duration::from_secs(180);

use crate::docs::{pages, repo};

/// One fenced block of a page.
#[derive(Debug)]
struct Block {
    /// `page:line` of the opening fence.
    place: String,
    lang: String,
    body: Vec<(usize, String)>,
    marks: Vec<Mark>,
}

/// `<!-- docs-test: not run [`PART`]: REASON -->` above a fence.
#[derive(Debug, Clone)]
struct Mark {
    /// Only the commands holding this text; None: the whole block.
    part: Option<String>,
    reason: String,
}

fn parse_mark(line: &str) -> Option<Mark> {
    let inner = line
        .trim()
        .strip_prefix("<!--")?
        .strip_suffix("-->")?
        .trim()
        .strip_prefix("docs-test:")?
        .trim()
        .strip_prefix("not run")?;
    let (part, rest) = match inner.strip_prefix(" `") {
        Some(quoted) => {
            let (part, rest) = quoted.split_once('`')?;
            (Some(part.to_string()), rest)
        }
        None => (None, inner),
    };
    let reason = rest.trim_start().strip_prefix(':')?.trim();
    (!reason.is_empty()).then(|| Mark {
        part,
        reason: reason.to_string(),
    })
}

/// Every fenced block of `text`, with the marks on the lines right above its fence. A line that
/// looks like a mark but is not one is an error: a typo must not quietly run a block.
fn blocks(name: &str, text: &str) -> Result<Vec<Block>, String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(lang) = lines[i].trim_start().strip_prefix("```") else {
            let comment = lines[i].trim_start().starts_with("<!--");
            if comment && lines[i].contains("docs-test") && parse_mark(lines[i]).is_none() {
                return Err(format!(
                    "{name}:{}: not a docs-test mark: {}",
                    i + 1,
                    lines[i]
                ));
            }
            i += 1;
            continue;
        };
        let mut marks = Vec::new();
        let mut above = i;
        while above > 0 {
            match parse_mark(lines[above - 1]) {
                Some(m) => marks.push(m),
                None => break,
            }
            above -= 1;
        }
        let start = i;
        let mut body = Vec::new();
        i += 1;
        while i < lines.len() && !lines[i].trim_start().starts_with("```") {
            body.push((i + 1, lines[i].to_string()));
            i += 1;
        }
        out.push(Block {
            place: format!("{name}:{}", start + 1),
            lang: lang.trim().to_string(),
            body,
            marks,
        });
        i += 1;
    }
    Ok(out)
}

/// One command of a shell block.
#[derive(Debug, Clone)]
struct Command {
    place: String,
    /// As written, continuation lines joined.
    text: String,
    /// What to run: the text without its comment.
    script: String,
    exit: i32,
    prints: Option<String>,
    not_run: Option<String>,
}

/// Where a line's comment starts: a `#` after a blank, outside quotes (`$#` and `${#x}` are not
/// comments).
fn comment_start(line: &str) -> Option<usize> {
    let (mut single, mut double) = (false, false);
    let mut previous = ' ';
    for (i, c) in line.char_indices() {
        match c {
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '#' if !single && !double && previous.is_whitespace() => return Some(i),
            _ => {}
        }
        previous = c;
    }
    None
}

/// The commands of a shell block: continuation lines joined, blank and comment lines left out.
fn commands(block: &Block) -> Vec<Command> {
    let exit = regex::Regex::new(r"\bexits? (\d+)\b").expect("regex");
    let prints = regex::Regex::new(r#"\bprints "([^"]*)""#).expect("regex");
    let mut out = Vec::new();
    let mut pending: Option<(usize, String)> = None;
    for (n, line) in &block.body {
        let (first, mut text) = pending.take().unwrap_or((*n, String::new()));
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(line);
        if line.trim_end().ends_with('\\') {
            pending = Some((first, text));
            continue;
        }
        let code = match text.lines().last().and_then(comment_start) {
            Some(_) if text.trim_start().starts_with('#') => continue,
            Some(at) => {
                let before_last = text.len() - text.lines().last().unwrap_or("").len();
                (
                    text[..before_last + at].to_string(),
                    &text[before_last + at..],
                )
            }
            None => (text.clone(), ""),
        };
        let (script, comment) = code;
        if script.trim().is_empty() {
            continue;
        }
        let not_run = block
            .marks
            .iter()
            .find(|m| m.part.as_ref().is_none_or(|p| text.contains(p.as_str())))
            .map(|m| m.reason.clone());
        out.push(Command {
            place: format!("{}:{first}", block.place.split(':').next().unwrap_or("")),
            text: text.trim().to_string(),
            script: script.trim_end().to_string(),
            exit: exit
                .captures(comment)
                .and_then(|c| c[1].parse().ok())
                .unwrap_or(0),
            prints: prints.captures(comment).map(|c| c[1].to_string()),
            not_run,
        });
    }
    out
}

/// `prints "TEXT"`: some line of `output` is TEXT, `<anything>` standing for any text.
fn shows(pattern: &str, output: &str) -> bool {
    let mut re = String::from("^");
    for (i, literal) in regex::Regex::new(r"<[^>]*>")
        .expect("regex")
        .split(pattern)
        .enumerate()
    {
        if i > 0 {
            re.push_str(".+?");
        }
        re.push_str(&regex::escape(literal));
    }
    re.push('$');
    let re = regex::Regex::new(&re).expect("pattern");
    output.lines().any(|l| re.is_match(l.trim_end()))
}

/// What became of the docs' commands.
#[derive(Default)]
struct Tally {
    ran: usize,
    /// Inline commands the CLI parsed.
    parsed: usize,
    not_run: Vec<String>,
    failed: Vec<String>,
}

/// The sandbox the docs run against: their own, since their changes (a restart, a blocked
/// address) must not move what other tests read.
fn world() -> &'static World {
    static CELL: OnceLock<Result<World, String>> = OnceLock::new();
    crate::support::world(&CELL, Scenario::Incident)
}

/// A block's own directory, with an empty store and audit log, and the environment to run in.
fn environment(dir: &Path) -> Vec<(String, String)> {
    let bin = Path::new(env!("CARGO_BIN_EXE_incidentctl"))
        .parent()
        .expect("the binary's directory");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut env = world().env();
    env.retain(|(k, _)| k != "INCIDENTCTL_REPORT_STORE" && k != "INCIDENTCTL_AUDIT_LOG");
    env.extend([
        ("PATH".into(), path),
        ("HOME".into(), dir.display().to_string()),
        (
            "XDG_CONFIG_HOME".into(),
            dir.join(".config").display().to_string(),
        ),
        (
            "INCIDENTCTL_REPORT_STORE".into(),
            dir.join("incidents").display().to_string(),
        ),
        (
            "INCIDENTCTL_AUDIT_LOG".into(),
            dir.join("audit.jsonl").display().to_string(),
        ),
    ]);
    env
}

/// Runs the commands to run of one shell block in one bash, each one's output and exit codes
/// kept apart; checks each against its doc line.
fn run_shell(block: &Block, tally: &mut Tally) {
    let cmds = commands(block);
    let dir = tempfile::tempdir().expect("a block's directory");
    let mut script = String::from("set +e\nexec 3>\"$DOCS_RESULTS\"\n");
    for (i, c) in cmds.iter().enumerate() {
        match &c.not_run {
            Some(reason) => tally
                .not_run
                .push(format!("{} `{}`: {reason}", c.place, c.script.trim())),
            None => script.push_str(&format!(
                "echo \"start {i}\" >&3\n{{ {}\n echo \"done {i} ${{PIPESTATUS[*]}}\" >&3; }} >\"$DOCS_OUT/{i}.out\" 2>\"$DOCS_OUT/{i}.err\"\n",
                c.script
            )),
        }
    }
    // As in a checkout: `man -l man/incidentctl.1` reads the committed pages.
    std::os::unix::fs::symlink(repo().join("man"), dir.path().join("man")).expect("man/");
    let out = dir.path().join(".docs-out");
    std::fs::create_dir_all(&out).expect("output dir");
    let results = dir.path().join(".docs-results");
    let mut command = std::process::Command::new("timeout");
    command
        .args([
            &format!("{}s", BLOCK_TIMEOUT.as_secs()),
            "bash",
            "-c",
            &script,
        ])
        .env_clear()
        .envs(environment(dir.path()))
        .env("DOCS_OUT", &out)
        .env("DOCS_RESULTS", &results)
        .current_dir(dir.path())
        .stdin(std::process::Stdio::null());
    let status = command.output().expect("bash runs");
    let log = std::fs::read_to_string(&results).unwrap_or_default();
    for (i, c) in cmds.iter().enumerate().filter(|(_, c)| c.not_run.is_none()) {
        tally.ran += 1;
        let read =
            |ext: &str| std::fs::read_to_string(out.join(format!("{i}.{ext}"))).unwrap_or_default();
        let (stdout, stderr) = (read("out"), read("err"));
        let codes: Option<Vec<i32>> = log
            .lines()
            .find_map(|l| l.strip_prefix(&format!("done {i} ")))
            .map(|codes| codes.split(' ').filter_map(|c| c.parse().ok()).collect());
        let problem = match codes.as_deref() {
            None if log.contains(&format!("start {i}\n")) => Some(format!(
                "did not finish within {} s (the block was stopped: {status:?})",
                BLOCK_TIMEOUT.as_secs()
            )),
            None => Some("never ran: the block stopped before it".to_string()),
            Some([first, rest @ ..]) if *first != c.exit || rest.iter().any(|r| *r != 0) => {
                Some(format!(
                    "exit codes {codes:?} (of each command of the pipe), the doc says {}",
                    c.exit
                ))
            }
            Some(_) => c
                .prints
                .as_ref()
                .filter(|p| !shows(p, &stdout))
                .map(|p| format!("no line of its output is \"{p}\"")),
        };
        if let Some(problem) = problem {
            tally.failed.push(format!(
                "{} `{}`: {problem}\n--- stdout\n{stdout}--- stderr\n{stderr}",
                c.place, c.text
            ));
        }
    }
}

/// A config block: `config show --config BLOCK` takes it, exit 0, without a warning.
fn run_config(block: &Block, tally: &mut Tally) {
    let dir = tempfile::tempdir().expect("a block's directory");
    let file = dir.path().join("block.toml");
    let text: String = block.body.iter().map(|(_, l)| format!("{l}\n")).collect();
    std::fs::write(&file, text).expect("write the block");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_incidentctl"))
        .args(["config", "show", "--config"])
        .arg(&file)
        .env_clear()
        .envs(environment(dir.path()))
        .current_dir(dir.path())
        .stdin(std::process::Stdio::null())
        .output()
        .expect("incidentctl runs");
    tally.ran += 1;
    let stderr = String::from_utf8_lossy(&run.stderr);
    if run.status.code() != Some(0) || stderr.contains("warning") {
        tally.failed.push(format!(
            "{} (a config file): `incidentctl config show --config BLOCK`: {:?}\n{stderr}",
            block.place,
            run.status.code()
        ));
    }
}

/// The inline code spans of `text` (outside fenced blocks) that are incidentctl commands, with
/// their `page:line`.
fn inline_commands(name: &str, text: &str) -> Vec<(String, String)> {
    let mut fenced = false;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        for (i, span) in line.split('`').enumerate() {
            // Odd pieces are inside backticks.
            if i % 2 == 1 && span.starts_with("incidentctl ") {
                out.push((format!("{name}:{}", n + 1), span.to_string()));
            }
        }
    }
    out
}

/// A synopsis rather than a command: a placeholder word in capitals, options in brackets,
/// alternatives.
fn is_synopsis(command: &str) -> bool {
    command.contains(['[', '|', '…'])
        || command.contains("...")
        || command
            .split_whitespace()
            .any(|w| w.len() > 1 && w.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
}

/// Each inline command, parsed by the real CLI with `--help`: it names only what exists.
fn parse_inline(place: &str, command: &str, tally: &mut Tally) {
    if is_synopsis(command) {
        tally
            .not_run
            .push(format!("{place} `{command}`: a synopsis (placeholders)"));
        return;
    }
    let args: Vec<&str> = command.split_whitespace().skip(1).collect();
    let run = crate::support::incidentctl(None, &[&args[..], &["--help"]].concat(), &[]);
    tally.parsed += 1;
    if run.code != 0 {
        tally.failed.push(format!(
            "{place} `{command}`: the CLI does not take it (`--help` appended: exit {})\n{}",
            run.code, run.stderr
        ));
    }
}

#[test]
fn every_documented_command_does_what_its_page_says() {
    let mut tally = Tally::default();
    let mut unmarked = Vec::new();
    for page in pages() {
        let name = page
            .strip_prefix(repo())
            .unwrap_or(&page)
            .display()
            .to_string();
        let text = std::fs::read_to_string(&page).expect("a page");
        for (place, command) in inline_commands(&name, &text) {
            parse_inline(&place, &command, &mut tally);
        }
        for block in blocks(&name, &text).unwrap_or_else(|e| panic!("{e}")) {
            let whole = block.marks.iter().find(|m| m.part.is_none());
            match (block.lang.as_str(), whole) {
                ("sh" | "bash", _) => run_shell(&block, &mut tally),
                (_, Some(mark)) => tally.not_run.push(format!(
                    "{} (a {} block): {}",
                    block.place,
                    lang(&block),
                    mark.reason
                )),
                ("toml", None) => run_config(&block, &mut tally),
                _ => unmarked.push(format!("{} (a {} block)", block.place, lang(&block))),
            }
        }
    }
    let summary = format!(
        "docs commands: {} ran, {} inline parsed, {} failed, {} marked not run:\n{}\n",
        tally.ran,
        tally.parsed,
        tally.failed.len(),
        tally.not_run.len(),
        tally
            .not_run
            .iter()
            .map(|n| format!("  not run: {n}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    // Past the test harness's capture: CI's log shows the counts on every run.
    use std::io::Write;
    let _ = std::io::stderr().lock().write_all(summary.as_bytes());
    assert!(
        unmarked.is_empty(),
        "blocks neither run nor marked (mark them `<!-- docs-test: not run: REASON -->` above the fence): {unmarked:#?}"
    );
    assert!(
        tally.failed.is_empty(),
        "{} of the docs' commands do not do what the docs say:\n\n{}",
        tally.failed.len(),
        tally.failed.join("\n\n")
    );
    assert!(tally.ran >= 30, "only {} commands ran", tally.ran);
}

fn lang(block: &Block) -> &str {
    if block.lang.is_empty() {
        "plain"
    } else {
        &block.lang
    }
}

#[test]
fn commands_comments_and_marks_are_read_as_the_rules_say() {
    let page = "<!-- docs-test: not run `--watch`: never ends here -->\n```sh\nincidentctl diagnose   # what is wrong (exit 2: critical)\nID=$(incidentctl report new \\\n    --title \"a # b\")\n# a comment line\nincidentctl diagnose --watch   # exits 0 once ok\nincidentctl --version   # prints \"incidentctl <v> (git <r>)\"\n```\n";
    let found = blocks("p.md", page).unwrap();
    assert_eq!(found.len(), 1);
    let cmds = commands(&found[0]);
    let summary: Vec<(&str, i32, Option<&str>, bool)> = cmds
        .iter()
        .map(|c| {
            (
                c.script.as_str(),
                c.exit,
                c.prints.as_deref(),
                c.not_run.is_some(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("incidentctl diagnose", 2, None, false),
            (
                "ID=$(incidentctl report new \\\n    --title \"a # b\")",
                0,
                None,
                false
            ),
            ("incidentctl diagnose --watch", 0, None, true),
            (
                "incidentctl --version",
                0,
                Some("incidentctl <v> (git <r>)"),
                false
            ),
        ]
    );
    assert_eq!(cmds[1].place, "p.md:4");
    assert!(shows(
        "incidentctl <v> (git <r>)",
        "incidentctl 0.1.0 (git 1a2b3c)\n"
    ));
    assert!(!shows("incidentctl <v> (git <r>)", "incidentctl 0.1.0\n"));
    assert!(blocks("p.md", "<!-- docs-test: skip -->\n```sh\nx\n```\n").is_err());
    let inline = inline_commands(
        "p.md",
        "Run `incidentctl diagnose --list`, or `ls`.\n```sh\n`incidentctl x`\n```\n",
    );
    assert_eq!(
        inline,
        [(
            "p.md:1".to_string(),
            "incidentctl diagnose --list".to_string()
        )]
    );
    assert!(is_synopsis(
        "incidentctl diagnose --capture DIR [--incident ID]"
    ));
    assert!(!is_synopsis(
        "incidentctl diagnose --check payments.queue_depth"
    ));
}
