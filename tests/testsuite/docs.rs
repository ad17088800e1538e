//! The README starts people fast and the manual in docs/ answers: the README stays short with
//! its two set-up commands first, and every relative link in it and in docs/ resolves, to a
//! file and, when it names one, to a heading of that file.

use std::path::{Path, PathBuf};

pub(crate) fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The pages: README.md, then every docs/*.md by name.
pub(crate) fn pages() -> Vec<PathBuf> {
    let mut pages = vec![repo().join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(repo().join("docs"))
        .expect("docs/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    docs.sort();
    assert!(docs.len() >= 7, "the manual's pages: {docs:?}");
    pages.extend(docs);
    pages
}

/// GitHub's anchor for a heading: lower case, punctuation dropped, spaces as '-'.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of a page's headings (outside code blocks).
fn anchors(text: &str) -> Vec<String> {
    let mut fenced = false;
    let mut out = Vec::new();
    for line in text.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
        } else if !fenced && line.starts_with('#') {
            out.push(anchor(line.trim_start_matches('#')));
        }
    }
    out
}

/// The targets of a page's Markdown links `[text](target)`, outside code blocks.
fn links(text: &str) -> Vec<String> {
    let mut fenced = false;
    let mut out = Vec::new();
    for line in text.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let mut rest = line;
        while let Some(i) = rest.find("](") {
            let after = &rest[i + 2..];
            let Some(end) = after.find(')') else { break };
            out.push(after[..end].to_string());
            rest = &after[end..];
        }
    }
    out
}

#[test]
fn the_readme_is_short_and_starts_with_its_two_commands() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let lines = readme.lines().count();
    assert!(lines < 200, "README.md has {lines} lines");
    let first_block: Vec<&str> = readme
        .split("```")
        .nth(1)
        .expect("a code block")
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert_eq!(first_block.len(), 2, "{first_block:?}");
    assert!(
        first_block[0].starts_with("scripts/demo.sh"),
        "{first_block:?}"
    );
    assert!(
        first_block[1].starts_with("scripts/test.sh"),
        "{first_block:?}"
    );
}

#[test]
fn every_link_in_the_readme_and_docs_resolves() {
    let mut checked = 0;
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        for link in links(&text) {
            if link.starts_with("http://") || link.starts_with("https://") {
                continue;
            }
            let (file, fragment) = match link.split_once('#') {
                Some((f, a)) => (f, Some(a)),
                None => (link.as_str(), None),
            };
            let target = if file.is_empty() {
                page.clone()
            } else {
                page.parent().unwrap().join(file)
            };
            assert!(
                target.exists(),
                "{}: link to {link}: {} does not exist",
                page.display(),
                target.display()
            );
            if let Some(fragment) = fragment {
                let body = std::fs::read_to_string(&target).unwrap();
                assert!(
                    anchors(&body).iter().any(|a| a == fragment),
                    "{}: link to {link}: no such heading in {}",
                    page.display(),
                    target.display()
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 8, "only {checked} links checked");
}

/// The benchmark figures in docs/diagnose.md are the results files' own, copied between markers
/// (as the fault matrix is generated): the date and machine of the run, every table after the
/// file's first (which describes the run), and its "Memory flat" line. Stale or edited by hand,
/// this fails; INCIDENTCTL_UPDATE_DOCS=1 copies them again.
#[test]
fn the_benchmark_tables_in_the_docs_are_the_results_files() {
    let page = repo().join("docs/diagnose.md");
    let mut text = std::fs::read_to_string(&page).unwrap();
    let mut stale = Vec::new();
    for (block, file) in [
        ("bench:results", "bench/results.md"),
        ("bench:big-namespace", "bench/big-namespace-results.md"),
    ] {
        let results = std::fs::read_to_string(repo().join(file)).unwrap();
        let generated = benchmark_block(&results, file);
        let start =
            format!("<!-- {block}:start (copied from {file} by tests/testsuite/docs.rs) -->");
        let end = format!("<!-- {block}:end -->");
        let (Some(a), Some(b)) = (text.find(&start), text.find(&end)) else {
            panic!("docs/diagnose.md has no {start} … {end} block");
        };
        if text[a + start.len()..b] != generated {
            stale.push(file);
            text = format!("{}{start}{generated}{}", &text[..a], &text[b..]);
        }
    }
    if stale.is_empty() {
        return;
    }
    if std::env::var_os("INCIDENTCTL_UPDATE_DOCS").is_some() {
        std::fs::write(&page, text).unwrap();
    } else {
        panic!("the benchmark figures in docs/diagnose.md are not those of {stale:?}: run INCIDENTCTL_UPDATE_DOCS=1 cargo test --test testsuite docs::");
    }
}

/// What docs/diagnose.md shows of a results file.
fn benchmark_block(results: &str, file: &str) -> String {
    let row = |name: &str| {
        results
            .lines()
            .find(|l| l.starts_with(&format!("| {name} |")))
            .and_then(|l| l.split('|').nth(2))
            .map(|v| v.trim().to_string())
            .unwrap_or_else(|| "?".into())
    };
    let mut out = format!(
        "\nFigures of {} UTC ({}), from [`{file}`](../{file}):\n",
        row("date (UTC)"),
        row("machine")
    );
    let mut tables = 0;
    let mut in_table = false;
    for line in results.lines() {
        let is_row = line.starts_with('|');
        if is_row && !in_table {
            tables += 1;
            if tables > 1 {
                out.push('\n');
            }
        }
        in_table = is_row;
        if (is_row && tables > 1) || line.starts_with("Memory flat") {
            if line.starts_with("Memory flat") {
                out.push('\n');
            }
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push('\n');
    out
}

/// The check table of docs/diagnose.md is the table of checks: one row per check of `CHECKS`,
/// in its order, each naming the runbooks that check is part of. A check added to (or taken
/// from) `CHECKS`, or moved between runbooks, fails here until the page says so too.
#[test]
fn the_check_table_of_the_diagnose_page_lists_every_check_and_its_runbooks() {
    let page = std::fs::read_to_string(repo().join("docs/diagnose.md")).unwrap();
    let header = "| id | runbooks | what it does (seed step) | status |";
    let (_, from) = page.split_once(header).expect("diagnose.md's check table");
    let rows: Vec<(String, Vec<String>)> = from
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let id = cells[1].trim_matches('`').to_string();
            let mut runbooks: Vec<String> = cells[2].split(", ").map(str::to_string).collect();
            runbooks.sort();
            (id, runbooks)
        })
        .collect();
    let settings = incidentctl::settings::Settings::from_config_text("").unwrap();
    let checks: Vec<(String, Vec<String>)> = incidentctl::checks::CHECKS
        .iter()
        .map(|c| {
            let mut runbooks = incidentctl::runbooks::of_check(&settings, c.id);
            runbooks.sort();
            (c.id.to_string(), runbooks)
        })
        .collect();
    assert_eq!(
        rows, checks,
        "docs/diagnose.md's check table, as (id, runbooks), against CHECKS"
    );
}
