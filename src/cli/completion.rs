//! Completion of names from the cluster and the incident store, as kubectl and gh complete
//! them: `restart <TAB>` offers the namespace's deployments, `-n <TAB>` the namespaces,
//! `--context <TAB>` the kubeconfig's contexts, `report show <TAB>` the incidents, `diagnose
//! --check <TAB>` the check ids. The shell asks the binary itself (clap_complete's dynamic
//! engine: `INCIDENTCTL_COMPLETE=bash incidentctl -- incidentctl restart ''`), with the
//! settings the command would use: the `-n`, `--context` and `--config` already typed count. A
//! completion never hangs a shell: the cluster and the store get `BUDGET`, and offer nothing
//! past it.

use crate::clients::Context;
use crate::settings::{Overrides, ProcessEnv, Settings};
use clap_complete::engine::CompletionCandidate;
use std::ffi::OsString;
use std::sync::Arc;
use std::time::Duration;

/// How long a completion may wait on a server before it offers nothing.
const BUDGET: Duration = Duration::from_millis(700);

/// The variable the shell sets when it asks the binary for completions.
pub const COMPLETE_VAR: &str = "INCIDENTCTL_COMPLETE";

/// What the process was started for, as far as completion goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    /// A shell asking: INCIDENTCTL_COMPLETE is set and the first argument is `--`, as every
    /// script `incidentctl completion SHELL` prints calls it.
    Completion,
    /// INCIDENTCTL_COMPLETE is set, but the command line is an ordinary command.
    StrayVariable,
    None,
}

pub fn request() -> Request {
    let set = std::env::var_os(COMPLETE_VAR).is_some_and(|v| !v.is_empty());
    let escaped = std::env::args_os().nth(1).is_some_and(|a| a == "--");
    match (set, escaped) {
        (true, true) => Request::Completion,
        (true, false) => Request::StrayVariable,
        (false, _) => Request::None,
    }
}

/// The words of the command line being completed: what the shell passes after `--`.
fn typed_words() -> Vec<String> {
    let args: Vec<OsString> = std::env::args_os().collect();
    let after = args
        .iter()
        .position(|a| a == "--")
        .map_or(&args[..0], |i| &args[i + 1..]);
    after
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect()
}

/// The value given to a flag among `words` (`-n X`, `--namespace X`, `--namespace=X`, `-nX`):
/// the last one, as the parser takes it.
fn flag_value(words: &[String], long: &str, short: Option<char>) -> Option<String> {
    let mut found = None;
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        let next = words.get(i + 1).filter(|v| !v.is_empty()).cloned();
        if w == &format!("--{long}") || short.is_some_and(|s| w == &format!("-{s}")) {
            found = next.or(found);
            i += 1;
        } else if let Some(v) = w.strip_prefix(&format!("--{long}=")) {
            found = Some(v.to_string());
        } else if let Some(v) = short.and_then(|s| w.strip_prefix(&format!("-{s}"))) {
            if !v.is_empty() && !w.starts_with("--") {
                found = Some(v.to_string());
            }
        }
        i += 1;
    }
    found
}

/// The settings the command being typed would run with; None when they do not resolve (a
/// completion then offers nothing rather than an error).
fn settings() -> Option<Settings> {
    let words = typed_words();
    let overrides = Overrides {
        // As the parser reads it: the flag, else INCIDENTCTL_CONFIG.
        config: flag_value(&words, "config", None)
            .or_else(|| {
                std::env::var("INCIDENTCTL_CONFIG")
                    .ok()
                    .filter(|v| !v.is_empty())
            })
            .map(Into::into),
        contexts: flag_value(&words, "context", None).into_iter().collect(),
        namespace: flag_value(&words, "namespace", Some('n')),
        ..Overrides::default()
    };
    Settings::resolve(&overrides, &ProcessEnv, false).ok()
}

/// Runs `look` on a small runtime of its own, within `BUDGET`; nothing when it fails or is late.
fn within_budget<F>(look: F) -> Vec<String>
where
    F: std::future::Future<Output = Option<Vec<String>>>,
{
    let _ = rustls::crypto::ring::default_provider().install_default();
    // Multi-threaded: the directory store reads files with block_in_place.
    let Ok(runtime) = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
    else {
        return Vec::new();
    };
    let found = runtime.block_on(async { tokio::time::timeout(BUDGET, look).await });
    // A server that hangs must not hold the shell: leave its tasks behind.
    runtime.shutdown_background();
    found.ok().flatten().unwrap_or_default()
}

fn candidates(mut names: Vec<String>) -> Vec<CompletionCandidate> {
    names.sort();
    names.dedup();
    names.into_iter().map(CompletionCandidate::new).collect()
}

/// Names of one kind of object, through the API `api` makes of a client and the namespace
/// being typed: metadata only, in pages, as discovery reads them.
fn names_of<K>(api: fn(kube::Client, &str) -> kube::Api<K>) -> Vec<CompletionCandidate>
where
    K: kube::Resource + Clone,
{
    let Some(settings) = settings() else {
        return Vec::new();
    };
    candidates(within_budget(async move {
        let page = settings.kubernetes.page_size;
        let namespace = settings.namespace.clone();
        let ctx = Context::new(Arc::new(settings));
        let client = ctx.kube().await.ok()?;
        crate::clients::kube::list::list_names(&api(client, &namespace), &Default::default(), page)
            .await
            .ok()
    }))
}

/// `restart`, `scale`, `rollback`, `--deployment`: the namespace's deployments.
pub fn deployments() -> Vec<CompletionCandidate> {
    names_of::<k8s_openapi::api::apps::v1::Deployment>(kube::Api::namespaced)
}

/// `-n`: the cluster's namespaces (when the identity may list them).
pub fn namespaces() -> Vec<CompletionCandidate> {
    names_of::<k8s_openapi::api::core::v1::Namespace>(|client, _| kube::Api::all(client))
}

/// `--context`: the kubeconfig's contexts (read from the file: no server is asked).
pub fn contexts() -> Vec<CompletionCandidate> {
    let Ok(Some(config)) = crate::clients::kube::kubeconfig::read() else {
        return Vec::new();
    };
    candidates(config.contexts.into_iter().map(|c| c.name).collect())
}

/// `report show|ack|… ID`: the incidents of the store, open ones first in the shell's order.
pub fn incidents() -> Vec<CompletionCandidate> {
    let Some(settings) = settings() else {
        return Vec::new();
    };
    let mut open = Vec::new();
    let ids = within_budget(async {
        let store = crate::report::store::Store::configured(&settings, None)
            .await
            .ok()?;
        let (incidents, _) = store.list().await.ok()?;
        open = incidents
            .iter()
            .filter(|i| i.status.is_open())
            .map(|i| i.id.clone())
            .collect();
        Some(incidents.into_iter().map(|i| i.id).collect())
    });
    let mut all = candidates(ids);
    // Open incidents first: the one being worked on is the likely one.
    all.sort_by_key(|c| !open.iter().any(|id| c.get_value() == id.as_str()));
    all
}

/// `diagnose --check`: every check id, built-in and declared in the config file.
pub fn check_ids() -> Vec<CompletionCandidate> {
    let Some(settings) = settings() else {
        return crate::checks::CHECKS
            .iter()
            .map(|c| CompletionCandidate::new(c.id))
            .collect();
    };
    crate::checks::all(&settings)
        .iter()
        .map(|c| CompletionCandidate::new(c.id).help(Some(c.description.to_string().into())))
        .collect()
}

/// `diagnose RUNBOOK`, `runbook show|run NAME`: every runbook, built-in and the team's, with its
/// title.
pub fn runbook_names() -> Vec<CompletionCandidate> {
    let runbooks = match settings() {
        Some(s) => s.runbooks,
        None => crate::settings::runbooks::built_in(),
    };
    runbooks
        .into_iter()
        .map(|r| CompletionCandidate::new(r.name).help(Some(r.title.into())))
        .collect()
}

/// `runbook run NAME --step`: the numbers of that runbook's resolution steps, each with its
/// title (nothing before the name is typed).
pub fn runbook_steps() -> Vec<CompletionCandidate> {
    let words = typed_words();
    let Some(name) = runbook_being_run(&words) else {
        return Vec::new();
    };
    let runbooks = match settings() {
        Some(s) => s.runbooks,
        None => crate::settings::runbooks::built_in(),
    };
    runbooks
        .into_iter()
        .find(|r| r.name == name)
        .map(|r| {
            r.resolve
                .iter()
                .enumerate()
                .map(|(i, step)| {
                    CompletionCandidate::new((i + 1).to_string())
                        .help(Some(step.title.clone().into()))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The NAME of `runbook run NAME` among the words typed: the first word after `run` that is
/// not a flag or a flag's value.
fn runbook_being_run(words: &[String]) -> Option<String> {
    let run = words
        .windows(2)
        .position(|w| w[0] == "runbook" && w[1] == "run")?;
    let mut rest = words[run + 2..].iter();
    while let Some(w) = rest.next() {
        if w.starts_with('-') {
            // The flags of `runbook run` that take a value as the next word.
            if [
                "--step",
                "--set",
                "--confirm",
                "--incident",
                "--wait-timeout",
                "-n",
                "--namespace",
                "--context",
                "--config",
                "-o",
                "--output",
                "--timeout",
            ]
            .contains(&w.as_str())
            {
                rest.next();
            }
            continue;
        }
        if !w.is_empty() {
            return Some(w.clone());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        text.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn the_runbook_being_run_is_the_word_after_run_that_is_no_flag() {
        let w = words("incidentctl runbook run --yes payments-backlog --step ");
        assert_eq!(runbook_being_run(&w).as_deref(), Some("payments-backlog"));
        let w =
            words("incidentctl -n x runbook run --set cidr=1 --incident INC-1 app-down --step ");
        assert_eq!(runbook_being_run(&w).as_deref(), Some("app-down"));
        assert_eq!(
            runbook_being_run(&words("incidentctl runbook run --step ")),
            None
        );
        assert_eq!(
            runbook_being_run(&words("incidentctl diagnose app-down")),
            None
        );
    }

    #[test]
    fn the_flags_already_typed_are_read_as_the_parser_would() {
        let w = words("incidentctl -n payments restart --context prod ");
        assert_eq!(
            flag_value(&w, "namespace", Some('n')).as_deref(),
            Some("payments")
        );
        assert_eq!(flag_value(&w, "context", None).as_deref(), Some("prod"));
        let w = words("incidentctl --namespace=a restart -nb ");
        assert_eq!(flag_value(&w, "namespace", Some('n')).as_deref(), Some("b"));
        // The flag being completed has no value yet.
        let w = words("incidentctl restart -n ");
        assert_eq!(flag_value(&w, "namespace", Some('n')), None);
        assert_eq!(
            flag_value(&words("incidentctl --no-color x"), "namespace", Some('n')),
            None
        );
    }
}
