
use builtin;
use str;

set edit:completion:arg-completer[incidentctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'incidentctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'incidentctl'= {
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand diagnose 'Run every runbook''s investigation steps at once and suggest a severity'
            cand restart 'Rolling restart of app deployments (kubectl rollout restart), then wait for the rollout'
            cand scale 'Set a deployment''s replica count (kubectl scale), then wait for the replicas to be ready'
            cand rollback 'Return a deployment to an earlier revision''s pod template (kubectl rollout undo), then wait'
            cand db 'Database resolution steps: kill long queries, pool size, analyze, reindex, restart'
            cand cache 'Cache resolution steps: flush keys, a database, or everything'
            cand security 'Security resolution steps: block IPs, reset sessions, log level, inspect config safely'
            cand silence 'Alertmanager silences: add, list, expire (make the pager stop while you work)'
            cand report 'The incident itself: severity, timeline, clocks, Slack updates and the post-mortem report'
            cand doctor 'Check the set-up before the incident: reachability, credentials, privileges, webhook'
            cand config 'Inspect incidentctl''s own configuration'
            cand completion 'Print a shell completion script'
            cand generate-docs 'Write the man pages and completion scripts into a directory (for packagers)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'incidentctl;diagnose'= {
            cand --check 'Run only this check (repeat for several), built-in or declared with [[check]]'
            cand --incident 'Attach the findings to this incident (evidence file and a timeline entry)'
            cand --fail-on 'Exit 0 unless a check reaches this level (unknown always fails); marks JUnit failures'
            cand --capture 'Save the evidence (events, pods, logs of unhealthy pods, sessions, locks, INFO, alerts, queries) into this new or empty directory, redacted, with a manifest of sha256 hashes'
            cand --baseline 'Compare with a run saved by `diagnose -o json`: new, worse, same, better or resolved'
            cand --interval 'With --watch: time from the start of one run to the start of the next'
            cand --until 'With --watch: exit 0 as soon as every check is at or below this level'
            cand --watch-timeout 'With --watch: stop after this long, with the last run''s exit code'
            cand --deployment 'An app deployment (repeat for several)'
            cand --ingress 'The app''s ingress'
            cand --configmap 'The app''s configmap'
            cand --secret 'The app''s secret (its keys only are ever read out)'
            cand --policy 'The app''s network policy'
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand --list 'List the checks these runbooks would run, without running them'
            cand --all-contexts 'Diagnose every context of the kubeconfig (concurrently, results grouped by context)'
            cand --fail-on-new 'With --baseline: the exit code counts only new and worse findings'
            cand --watch 'Run again and again, showing what changed since the last run (Ctrl-C to stop)'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand diff 'Compare two runs saved by `diagnose -o json`: what is new, worse, better, resolved'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'incidentctl;diagnose;diff'= {
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand --all 'List every check, not only those that changed'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'incidentctl;diagnose;help'= {
            cand diff 'Compare two runs saved by `diagnose -o json`: what is new, worse, better, resolved'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'incidentctl;diagnose;help;diff'= {
        }
        &'incidentctl;diagnose;help;help'= {
        }
        &'incidentctl;restart'= {
            cand --confirm 'For the most destructive changes without a terminal: the target''s name, repeated'
            cand --incident 'Incident id recorded with the change in the audit log'
            cand --wait-timeout 'How long to wait for the change to complete'
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand --dry-run 'Show the plan and validate it server-side; change nothing'
            cand -y 'Apply without asking (needed when there is no terminal)'
            cand --yes 'Apply without asking (needed when there is no terminal)'
            cand --wait 'Wait for the change to complete (the default where it applies)'
            cand --no-wait 'Do not wait for the change to complete'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'incidentctl;scale'= {
            cand --replicas 'The new replica count'
            cand --confirm 'For the most destructive changes without a terminal: the target''s name, repeated'
            cand --incident 'Incident id recorded with the change in the audit log'
            cand --wait-timeout 'How long to wait for the change to complete'
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand --allow-zero 'Allow scaling to 0 replicas (takes the app down)'
            cand --dry-run 'Show the plan and validate it server-side; change nothing'
            cand -y 'Apply without asking (needed when there is no terminal)'
            cand --yes 'Apply without asking (needed when there is no terminal)'
            cand --wait 'Wait for the change to complete (the default where it applies)'
            cand --no-wait 'Do not wait for the change to complete'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'incidentctl;rollback'= {
            cand --to-revision 'The revision to return to (default: the one before the current)'
            cand --confirm 'For the most destructive changes without a terminal: the target''s name, repeated'
            cand --incident 'Incident id recorded with the change in the audit log'
            cand --wait-timeout 'How long to wait for the change to complete'
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand --dry-run 'Show the plan and validate it server-side; change nothing'
            cand -y 'Apply without asking (needed when there is no terminal)'
            cand --yes 'Apply without asking (needed when there is no terminal)'
            cand --wait 'Wait for the change to complete (the default where it applies)'
            cand --no-wait 'Do not wait for the change to complete'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'incidentctl;db'= {
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand kill-queries 'End active client queries running longer than a limit (Runbook 2)'
            cand pool-size 'Set DB_POOL_SIZE on the backend deployment (Runbook 2)'
            cand analyze 'Refresh planner statistics: ANALYZE (Runbook 4)'
            cand reindex 'Rebuild indexes: REINDEX (Runbook 4)'
            cand restart 'Rolling restart of the database workload (Runbook 2)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'incidentctl;db;kill-queries'= {
            cand --older-than 'Only queries running longer than this'
            cand --confirm 'For the most destructive changes without a terminal: the target''s name, repeated'
            cand --incident 'Incident id recorded with the change in the audit log'
            cand --wait-timeout 'How long to wait for the change to complete'
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand --cancel 'Cancel the query (pg_cancel_backend) instead of ending the session'
            cand --dry-run 'Show the plan and validate it server-side; change nothing'
            cand -y 'Apply without asking (needed when there is no terminal)'
            cand --yes 'Apply without asking (needed when there is no terminal)'
            cand --wait 'Wait for the change to complete (the default where it applies)'
            cand --no-wait 'Do not wait for the change to complete'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'incidentctl;db;pool-size'= {
            cand --confirm 'For the most destructive changes without a terminal: the target''s name, repeated'
            cand --incident 'Incident id recorded with the change in the audit log'
            cand --wait-timeout 'How long to wait for the change to complete'
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand --dry-run 'Show the plan and validate it server-side; change nothing'
            cand -y 'Apply without asking (needed when there is no terminal)'
            cand --yes 'Apply without asking (needed when there is no terminal)'
            cand --wait 'Wait for the change to complete (the default where it applies)'
            cand --no-wait 'Do not wait for the change to complete'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'incidentctl;db;analyze'= {
            cand --confirm 'For the most destructive changes without a terminal: the target''s name, repeated'
            cand --incident 'Incident id recorded with the change in the audit log'
            cand --wait-timeout 'How long to wait for the change to complete'
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand --dry-run 'Show the plan and validate it server-side; change nothing'
            cand -y 'Apply without asking (needed when there is no terminal)'
            cand --yes 'Apply without asking (needed when there is no terminal)'
            cand --wait 'Wait for the change to complete (the default where it applies)'
            cand --no-wait 'Do not wait for the change to complete'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'incidentctl;db;reindex'= {
            cand --confirm 'For the most destructive changes without a terminal: the target''s name, repeated'
            cand --incident 'Incident id recorded with the change in the audit log'
            cand --wait-timeout 'How long to wait for the change to complete'
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand --concurrently 'Rebuild index by index without blocking writes (PostgreSQL 12+)'
            cand --dry-run 'Show the plan and validate it server-side; change nothing'
            cand -y 'Apply without asking (needed when there is no terminal)'
            cand --yes 'Apply without asking (needed when there is no terminal)'
            cand --wait 'Wait for the change to complete (the default where it applies)'
            cand --no-wait 'Do not wait for the change to complete'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'incidentctl;db;restart'= {
            cand --confirm 'For the most destructive changes without a terminal: the target''s name, repeated'
            cand --incident 'Incident id recorded with the change in the audit log'
            cand --wait-timeout 'How long to wait for the change to complete'
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand --dry-run 'Show the plan and validate it server-side; change nothing'
            cand -y 'Apply without asking (needed when there is no terminal)'
            cand --yes 'Apply without asking (needed when there is no terminal)'
            cand --wait 'Wait for the change to complete (the default where it applies)'
            cand --no-wait 'Do not wait for the change to complete'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'incidentctl;db;help'= {
            cand kill-queries 'End active client queries running longer than a limit (Runbook 2)'
            cand pool-size 'Set DB_POOL_SIZE on the backend deployment (Runbook 2)'
            cand analyze 'Refresh planner statistics: ANALYZE (Runbook 4)'
            cand reindex 'Rebuild indexes: REINDEX (Runbook 4)'
            cand restart 'Rolling restart of the database workload (Runbook 2)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'incidentctl;db;help;kill-queries'= {
        }
        &'incidentctl;db;help;pool-size'= {
        }
        &'incidentctl;db;help;analyze'= {
        }
        &'incidentctl;db;help;reindex'= {
        }
        &'incidentctl;db;help;restart'= {
        }
        &'incidentctl;db;help;help'= {
        }
        &'incidentctl;cache'= {
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand flush 'Delete cached keys: matching a pattern, one database, or everything (Runbook 4)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'incidentctl;cache;flush'= {
            cand --db 'Only this database (FLUSHDB), or with --pattern the database to scan'
            cand --pattern 'Only keys matching this glob (SCAN MATCH + UNLINK)'
            cand --confirm 'For the most destructive changes without a terminal: the target''s name, repeated'
            cand --incident 'Incident id recorded with the change in the audit log'
            cand --wait-timeout 'How long to wait for the change to complete'
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand --dry-run 'Show the plan and validate it server-side; change nothing'
            cand -y 'Apply without asking (needed when there is no terminal)'
            cand --yes 'Apply without asking (needed when there is no terminal)'
            cand --wait 'Wait for the change to complete (the default where it applies)'
            cand --no-wait 'Do not wait for the change to complete'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'incidentctl;cache;help'= {
            cand flush 'Delete cached keys: matching a pattern, one database, or everything (Runbook 4)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'incidentctl;cache;help;flush'= {
        }
        &'incidentctl;cache;help;help'= {
        }
        &'incidentctl;security'= {
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand block-ip 'Block an IP or CIDR in the app''s NetworkPolicy, keeping every other rule (Runbook 5)'
            cand unblock-ip 'Remove a blocked IP or CIDR from the NetworkPolicy''s except lists (undoes block-ip)'
            cand reset-sessions 'Delete sessions older than a limit, in one transaction (Runbook 5)'
            cand log-level 'Set LOG_LEVEL on the backend deployment (Runbook 5)'
            cand config 'Show the app''s configmap, and its secret''s keys with value fingerprints (never values)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'incidentctl;security;block-ip'= {
            cand --policy 'Only this network policy (default: kubernetes.network_policy, else every policy that selects the app''s pods)'
            cand --confirm 'For the most destructive changes without a terminal: the target''s name, repeated'
            cand --incident 'Incident id recorded with the change in the audit log'
            cand --wait-timeout 'How long to wait for the change to complete'
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand --dry-run 'Show the plan and validate it server-side; change nothing'
            cand -y 'Apply without asking (needed when there is no terminal)'
            cand --yes 'Apply without asking (needed when there is no terminal)'
            cand --wait 'Wait for the change to complete (the default where it applies)'
            cand --no-wait 'Do not wait for the change to complete'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'incidentctl;security;unblock-ip'= {
            cand --policy 'Only this network policy (default: kubernetes.network_policy, else every policy that selects the app''s pods)'
            cand --confirm 'For the most destructive changes without a terminal: the target''s name, repeated'
            cand --incident 'Incident id recorded with the change in the audit log'
            cand --wait-timeout 'How long to wait for the change to complete'
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand --dry-run 'Show the plan and validate it server-side; change nothing'
            cand -y 'Apply without asking (needed when there is no terminal)'
            cand --yes 'Apply without asking (needed when there is no terminal)'
            cand --wait 'Wait for the change to complete (the default where it applies)'
            cand --no-wait 'Do not wait for the change to complete'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'incidentctl;security;reset-sessions'= {
            cand --older-than 'Only sessions created longer ago than this'
            cand --confirm 'For the most destructive changes without a terminal: the target''s name, repeated'
            cand --incident 'Incident id recorded with the change in the audit log'
            cand --wait-timeout 'How long to wait for the change to complete'
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand --dry-run 'Show the plan and validate it server-side; change nothing'
            cand -y 'Apply without asking (needed when there is no terminal)'
            cand --yes 'Apply without asking (needed when there is no terminal)'
            cand --wait 'Wait for the change to complete (the default where it applies)'
            cand --no-wait 'Do not wait for the change to complete'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'incidentctl;security;log-level'= {
            cand --confirm 'For the most destructive changes without a terminal: the target''s name, repeated'
            cand --incident 'Incident id recorded with the change in the audit log'
            cand --wait-timeout 'How long to wait for the change to complete'
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand --dry-run 'Show the plan and validate it server-side; change nothing'
            cand -y 'Apply without asking (needed when there is no terminal)'
            cand --yes 'Apply without asking (needed when there is no terminal)'
            cand --wait 'Wait for the change to complete (the default where it applies)'
            cand --no-wait 'Do not wait for the change to complete'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'incidentctl;security;config'= {
            cand --configmap 'The configmap to show (default: kubernetes.configmap, else the one the app''s pods use)'
            cand --secret 'The secret to fingerprint (default: kubernetes.secret, else the one the app''s pods use)'
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'incidentctl;security;help'= {
            cand block-ip 'Block an IP or CIDR in the app''s NetworkPolicy, keeping every other rule (Runbook 5)'
            cand unblock-ip 'Remove a blocked IP or CIDR from the NetworkPolicy''s except lists (undoes block-ip)'
            cand reset-sessions 'Delete sessions older than a limit, in one transaction (Runbook 5)'
            cand log-level 'Set LOG_LEVEL on the backend deployment (Runbook 5)'
            cand config 'Show the app''s configmap, and its secret''s keys with value fingerprints (never values)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'incidentctl;security;help;block-ip'= {
        }
        &'incidentctl;security;help;unblock-ip'= {
        }
        &'incidentctl;security;help;reset-sessions'= {
        }
        &'incidentctl;security;help;log-level'= {
        }
        &'incidentctl;security;help;config'= {
        }
        &'incidentctl;security;help;help'= {
        }
        &'incidentctl;silence'= {
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Silence the alerts matching every --matcher, for --duration'
            cand list 'List silences: active and pending (--all: expired too)'
            cand expire 'End a silence now'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'incidentctl;silence;add'= {
            cand -m 'A label matcher: NAME=VALUE, NAME!=VALUE, NAME=~REGEX or NAME!~REGEX (repeatable)'
            cand --matcher 'A label matcher: NAME=VALUE, NAME!=VALUE, NAME=~REGEX or NAME!~REGEX (repeatable)'
            cand --duration 'How long the silence lasts'
            cand --comment 'Why: shown to whoever finds the silence later'
            cand --confirm 'For the most destructive changes without a terminal: the target''s name, repeated'
            cand --incident 'Incident id recorded with the change in the audit log'
            cand --wait-timeout 'How long to wait for the change to complete'
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand --dry-run 'Show the plan and validate it server-side; change nothing'
            cand -y 'Apply without asking (needed when there is no terminal)'
            cand --yes 'Apply without asking (needed when there is no terminal)'
            cand --wait 'Wait for the change to complete (the default where it applies)'
            cand --no-wait 'Do not wait for the change to complete'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'incidentctl;silence;list'= {
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand --all 'Expired silences too'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'incidentctl;silence;expire'= {
            cand --confirm 'For the most destructive changes without a terminal: the target''s name, repeated'
            cand --incident 'Incident id recorded with the change in the audit log'
            cand --wait-timeout 'How long to wait for the change to complete'
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand --dry-run 'Show the plan and validate it server-side; change nothing'
            cand -y 'Apply without asking (needed when there is no terminal)'
            cand --yes 'Apply without asking (needed when there is no terminal)'
            cand --wait 'Wait for the change to complete (the default where it applies)'
            cand --no-wait 'Do not wait for the change to complete'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'incidentctl;silence;help'= {
            cand add 'Silence the alerts matching every --matcher, for --duration'
            cand list 'List silences: active and pending (--all: expired too)'
            cand expire 'End a silence now'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'incidentctl;silence;help;add'= {
        }
        &'incidentctl;silence;help;list'= {
        }
        &'incidentctl;silence;help;expire'= {
        }
        &'incidentctl;silence;help;help'= {
        }
        &'incidentctl;report'= {
            cand --store 'Incident store: a directory or a postgres:// URL'
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand new 'Open an incident; prints its id'
            cand list 'Incidents with severity, status, age, next update and escalation level'
            cand show 'One incident with its clocks and timeline'
            cand ack 'Acknowledge: stops the response-time clock'
            cand status 'Move the incident to a status'
            cand severity 'Change the severity (recorded in the timeline)'
            cand assign 'Give a role to a person'
            cand log 'Add a timeline entry'
            cand set 'Fill in the report template''s fields'
            cand follow-up 'Add a follow-up action (a checkbox in the report)'
            cand render 'The post-mortem report: the seed''s template, filled in'
            cand notify 'Post a status update to Slack (report.slack_webhook or SLACK_WEBHOOK_URL)'
            cand close 'Close a resolved incident (root cause and resolution filled in, or --force --reason)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'incidentctl;report;new'= {
            cand --title 'title'
            cand --severity 'SEV1..SEV4 (or take diagnose''s suggestion with --from-diagnose)'
            cand --commander 'Incident commander'
            cand --detected-at 'When it was detected: RFC 3339, or ''15m ago'' (default: now)'
            cand --from-diagnose 'Take the severity from diagnose: run it now, or read a saved `diagnose -o json`'
            cand --store 'Incident store: a directory or a postgres:// URL'
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'incidentctl;report;list'= {
            cand --store 'Incident store: a directory or a postgres:// URL'
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand --open 'Only incidents not yet resolved'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'incidentctl;report;show'= {
            cand --store 'Incident store: a directory or a postgres:// URL'
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'incidentctl;report;ack'= {
            cand --store 'Incident store: a directory or a postgres:// URL'
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'incidentctl;report;status'= {
            cand --store 'Incident store: a directory or a postgres:// URL'
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'incidentctl;report;severity'= {
            cand --reason 'Why'
            cand --store 'Incident store: a directory or a postgres:// URL'
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'incidentctl;report;assign'= {
            cand --store 'Incident store: a directory or a postgres:// URL'
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'incidentctl;report;log'= {
            cand --at 'When it happened: RFC 3339, or ''10m ago'' (default: now)'
            cand --store 'Incident store: a directory or a postgres:// URL'
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'incidentctl;report;set'= {
            cand --summary 'summary'
            cand --impact 'impact'
            cand --users-affected 'users-affected'
            cand --services 'Comma-separated'
            cand --root-cause 'root-cause'
            cand --resolution 'resolution'
            cand --lessons 'lessons'
            cand --store 'Incident store: a directory or a postgres:// URL'
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'incidentctl;report;follow-up'= {
            cand --store 'Incident store: a directory or a postgres:// URL'
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'incidentctl;report;render'= {
            cand --store 'Incident store: a directory or a postgres:// URL'
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'incidentctl;report;notify'= {
            cand --store 'Incident store: a directory or a postgres:// URL'
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand --dry-run 'Print the message; post nothing, record nothing'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'incidentctl;report;close'= {
            cand --reason 'reason'
            cand --store 'Incident store: a directory or a postgres:// URL'
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand --force 'force'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'incidentctl;report;help'= {
            cand new 'Open an incident; prints its id'
            cand list 'Incidents with severity, status, age, next update and escalation level'
            cand show 'One incident with its clocks and timeline'
            cand ack 'Acknowledge: stops the response-time clock'
            cand status 'Move the incident to a status'
            cand severity 'Change the severity (recorded in the timeline)'
            cand assign 'Give a role to a person'
            cand log 'Add a timeline entry'
            cand set 'Fill in the report template''s fields'
            cand follow-up 'Add a follow-up action (a checkbox in the report)'
            cand render 'The post-mortem report: the seed''s template, filled in'
            cand notify 'Post a status update to Slack (report.slack_webhook or SLACK_WEBHOOK_URL)'
            cand close 'Close a resolved incident (root cause and resolution filled in, or --force --reason)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'incidentctl;report;help;new'= {
        }
        &'incidentctl;report;help;list'= {
        }
        &'incidentctl;report;help;show'= {
        }
        &'incidentctl;report;help;ack'= {
        }
        &'incidentctl;report;help;status'= {
        }
        &'incidentctl;report;help;severity'= {
        }
        &'incidentctl;report;help;assign'= {
        }
        &'incidentctl;report;help;log'= {
        }
        &'incidentctl;report;help;set'= {
        }
        &'incidentctl;report;help;follow-up'= {
        }
        &'incidentctl;report;help;render'= {
        }
        &'incidentctl;report;help;notify'= {
        }
        &'incidentctl;report;help;close'= {
        }
        &'incidentctl;report;help;help'= {
        }
        &'incidentctl;doctor'= {
            cand --deployment 'An app deployment (repeat for several)'
            cand --ingress 'The app''s ingress'
            cand --configmap 'The app''s configmap'
            cand --secret 'The app''s secret (its keys only are ever read out)'
            cand --policy 'The app''s network policy'
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand --send-test 'Post a test message to the Slack webhook'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'incidentctl;config'= {
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand show 'Print the resolved settings (file, environment and flags merged), secrets redacted'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'incidentctl;config;show'= {
            cand --deployment 'An app deployment (repeat for several)'
            cand --ingress 'The app''s ingress'
            cand --configmap 'The app''s configmap'
            cand --secret 'The app''s secret (its keys only are ever read out)'
            cand --policy 'The app''s network policy'
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'incidentctl;config;help'= {
            cand show 'Print the resolved settings (file, environment and flags merged), secrets redacted'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'incidentctl;config;help;show'= {
        }
        &'incidentctl;config;help;help'= {
        }
        &'incidentctl;completion'= {
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'incidentctl;generate-docs'= {
            cand --config 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml'
            cand --context 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters'
            cand -n 'Namespace of the application (default: reconciliation)'
            cand --namespace 'Namespace of the application (default: reconciliation)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)'
            cand -q 'Print only the results: no progress, hints or notes on stderr'
            cand --quiet 'Print only the results: no progress, hints or notes on stderr'
            cand -v 'Show every piece of evidence and where settings came from'
            cand --verbose 'Show every piece of evidence and where settings came from'
            cand --no-color 'Never colour the output (NO_COLOR is honoured too)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'incidentctl;help'= {
            cand diagnose 'Run every runbook''s investigation steps at once and suggest a severity'
            cand restart 'Rolling restart of app deployments (kubectl rollout restart), then wait for the rollout'
            cand scale 'Set a deployment''s replica count (kubectl scale), then wait for the replicas to be ready'
            cand rollback 'Return a deployment to an earlier revision''s pod template (kubectl rollout undo), then wait'
            cand db 'Database resolution steps: kill long queries, pool size, analyze, reindex, restart'
            cand cache 'Cache resolution steps: flush keys, a database, or everything'
            cand security 'Security resolution steps: block IPs, reset sessions, log level, inspect config safely'
            cand silence 'Alertmanager silences: add, list, expire (make the pager stop while you work)'
            cand report 'The incident itself: severity, timeline, clocks, Slack updates and the post-mortem report'
            cand doctor 'Check the set-up before the incident: reachability, credentials, privileges, webhook'
            cand config 'Inspect incidentctl''s own configuration'
            cand completion 'Print a shell completion script'
            cand generate-docs 'Write the man pages and completion scripts into a directory (for packagers)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'incidentctl;help;diagnose'= {
            cand diff 'Compare two runs saved by `diagnose -o json`: what is new, worse, better, resolved'
        }
        &'incidentctl;help;diagnose;diff'= {
        }
        &'incidentctl;help;restart'= {
        }
        &'incidentctl;help;scale'= {
        }
        &'incidentctl;help;rollback'= {
        }
        &'incidentctl;help;db'= {
            cand kill-queries 'End active client queries running longer than a limit (Runbook 2)'
            cand pool-size 'Set DB_POOL_SIZE on the backend deployment (Runbook 2)'
            cand analyze 'Refresh planner statistics: ANALYZE (Runbook 4)'
            cand reindex 'Rebuild indexes: REINDEX (Runbook 4)'
            cand restart 'Rolling restart of the database workload (Runbook 2)'
        }
        &'incidentctl;help;db;kill-queries'= {
        }
        &'incidentctl;help;db;pool-size'= {
        }
        &'incidentctl;help;db;analyze'= {
        }
        &'incidentctl;help;db;reindex'= {
        }
        &'incidentctl;help;db;restart'= {
        }
        &'incidentctl;help;cache'= {
            cand flush 'Delete cached keys: matching a pattern, one database, or everything (Runbook 4)'
        }
        &'incidentctl;help;cache;flush'= {
        }
        &'incidentctl;help;security'= {
            cand block-ip 'Block an IP or CIDR in the app''s NetworkPolicy, keeping every other rule (Runbook 5)'
            cand unblock-ip 'Remove a blocked IP or CIDR from the NetworkPolicy''s except lists (undoes block-ip)'
            cand reset-sessions 'Delete sessions older than a limit, in one transaction (Runbook 5)'
            cand log-level 'Set LOG_LEVEL on the backend deployment (Runbook 5)'
            cand config 'Show the app''s configmap, and its secret''s keys with value fingerprints (never values)'
        }
        &'incidentctl;help;security;block-ip'= {
        }
        &'incidentctl;help;security;unblock-ip'= {
        }
        &'incidentctl;help;security;reset-sessions'= {
        }
        &'incidentctl;help;security;log-level'= {
        }
        &'incidentctl;help;security;config'= {
        }
        &'incidentctl;help;silence'= {
            cand add 'Silence the alerts matching every --matcher, for --duration'
            cand list 'List silences: active and pending (--all: expired too)'
            cand expire 'End a silence now'
        }
        &'incidentctl;help;silence;add'= {
        }
        &'incidentctl;help;silence;list'= {
        }
        &'incidentctl;help;silence;expire'= {
        }
        &'incidentctl;help;report'= {
            cand new 'Open an incident; prints its id'
            cand list 'Incidents with severity, status, age, next update and escalation level'
            cand show 'One incident with its clocks and timeline'
            cand ack 'Acknowledge: stops the response-time clock'
            cand status 'Move the incident to a status'
            cand severity 'Change the severity (recorded in the timeline)'
            cand assign 'Give a role to a person'
            cand log 'Add a timeline entry'
            cand set 'Fill in the report template''s fields'
            cand follow-up 'Add a follow-up action (a checkbox in the report)'
            cand render 'The post-mortem report: the seed''s template, filled in'
            cand notify 'Post a status update to Slack (report.slack_webhook or SLACK_WEBHOOK_URL)'
            cand close 'Close a resolved incident (root cause and resolution filled in, or --force --reason)'
        }
        &'incidentctl;help;report;new'= {
        }
        &'incidentctl;help;report;list'= {
        }
        &'incidentctl;help;report;show'= {
        }
        &'incidentctl;help;report;ack'= {
        }
        &'incidentctl;help;report;status'= {
        }
        &'incidentctl;help;report;severity'= {
        }
        &'incidentctl;help;report;assign'= {
        }
        &'incidentctl;help;report;log'= {
        }
        &'incidentctl;help;report;set'= {
        }
        &'incidentctl;help;report;follow-up'= {
        }
        &'incidentctl;help;report;render'= {
        }
        &'incidentctl;help;report;notify'= {
        }
        &'incidentctl;help;report;close'= {
        }
        &'incidentctl;help;doctor'= {
        }
        &'incidentctl;help;config'= {
            cand show 'Print the resolved settings (file, environment and flags merged), secrets redacted'
        }
        &'incidentctl;help;config;show'= {
        }
        &'incidentctl;help;completion'= {
        }
        &'incidentctl;help;generate-docs'= {
        }
        &'incidentctl;help;help'= {
        }
    ]
    $completions[$command]
}
