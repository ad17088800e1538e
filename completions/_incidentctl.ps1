
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'incidentctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'incidentctl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'incidentctl' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('diagnose', 'diagnose', [CompletionResultType]::ParameterValue, 'Run every runbook''s investigation steps at once and suggest a severity')
            [CompletionResult]::new('restart', 'restart', [CompletionResultType]::ParameterValue, 'Rolling restart of app deployments (kubectl rollout restart), then wait for the rollout')
            [CompletionResult]::new('scale', 'scale', [CompletionResultType]::ParameterValue, 'Set a deployment''s replica count (kubectl scale), then wait for the replicas to be ready')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Return a deployment to an earlier revision''s pod template (kubectl rollout undo), then wait')
            [CompletionResult]::new('db', 'db', [CompletionResultType]::ParameterValue, 'Database resolution steps: kill long queries, pool size, analyze, reindex, restart')
            [CompletionResult]::new('cache', 'cache', [CompletionResultType]::ParameterValue, 'Cache resolution steps: flush keys, a database, or everything')
            [CompletionResult]::new('security', 'security', [CompletionResultType]::ParameterValue, 'Security resolution steps: block IPs, reset sessions, log level, inspect config safely')
            [CompletionResult]::new('silence', 'silence', [CompletionResultType]::ParameterValue, 'Alertmanager silences: add, list, expire (make the pager stop while you work)')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'The incident itself: severity, timeline, clocks, Slack updates and the post-mortem report')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the set-up before the incident: reachability, credentials, privileges, webhook')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Inspect incidentctl''s own configuration')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('generate-docs', 'generate-docs', [CompletionResultType]::ParameterValue, 'Write the man pages and completion scripts into a directory (for packagers)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'incidentctl;diagnose' {
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Run only this check (repeat for several), built-in or declared with [[check]]')
            [CompletionResult]::new('--incident', '--incident', [CompletionResultType]::ParameterName, 'Attach the findings to this incident (evidence file and a timeline entry)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 0 unless a check reaches this level (unknown always fails); marks JUnit failures')
            [CompletionResult]::new('--capture', '--capture', [CompletionResultType]::ParameterName, 'Save the evidence (events, pods, logs of unhealthy pods, sessions, locks, INFO, alerts, queries) into this new or empty directory, redacted, with a manifest of sha256 hashes')
            [CompletionResult]::new('--baseline', '--baseline', [CompletionResultType]::ParameterName, 'Compare with a run saved by `diagnose -o json`: new, worse, same, better or resolved')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'With --watch: time from the start of one run to the start of the next')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'With --watch: exit 0 as soon as every check is at or below this level')
            [CompletionResult]::new('--watch-timeout', '--watch-timeout', [CompletionResultType]::ParameterName, 'With --watch: stop after this long, with the last run''s exit code')
            [CompletionResult]::new('--deployment', '--deployment', [CompletionResultType]::ParameterName, 'An app deployment (repeat for several)')
            [CompletionResult]::new('--ingress', '--ingress', [CompletionResultType]::ParameterName, 'The app''s ingress')
            [CompletionResult]::new('--configmap', '--configmap', [CompletionResultType]::ParameterName, 'The app''s configmap')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'The app''s secret (its keys only are ever read out)')
            [CompletionResult]::new('--policy', '--policy', [CompletionResultType]::ParameterName, 'The app''s network policy')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'List the checks these runbooks would run, without running them')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Diagnose every context of the kubeconfig (concurrently, results grouped by context)')
            [CompletionResult]::new('--fail-on-new', '--fail-on-new', [CompletionResultType]::ParameterName, 'With --baseline: the exit code counts only new and worse findings')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Run again and again, showing what changed since the last run (Ctrl-C to stop)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare two runs saved by `diagnose -o json`: what is new, worse, better, resolved')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'incidentctl;diagnose;diff' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'List every check, not only those that changed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'incidentctl;diagnose;help' {
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare two runs saved by `diagnose -o json`: what is new, worse, better, resolved')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'incidentctl;diagnose;help;diff' {
            break
        }
        'incidentctl;diagnose;help;help' {
            break
        }
        'incidentctl;restart' {
            [CompletionResult]::new('--confirm', '--confirm', [CompletionResultType]::ParameterName, 'For the most destructive changes without a terminal: the target''s name, repeated')
            [CompletionResult]::new('--incident', '--incident', [CompletionResultType]::ParameterName, 'Incident id recorded with the change in the audit log')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the change to complete')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan and validate it server-side; change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Apply without asking (needed when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Apply without asking (needed when there is no terminal)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait for the change to complete (the default where it applies)')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Do not wait for the change to complete')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'incidentctl;scale' {
            [CompletionResult]::new('--replicas', '--replicas', [CompletionResultType]::ParameterName, 'The new replica count')
            [CompletionResult]::new('--confirm', '--confirm', [CompletionResultType]::ParameterName, 'For the most destructive changes without a terminal: the target''s name, repeated')
            [CompletionResult]::new('--incident', '--incident', [CompletionResultType]::ParameterName, 'Incident id recorded with the change in the audit log')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the change to complete')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('--allow-zero', '--allow-zero', [CompletionResultType]::ParameterName, 'Allow scaling to 0 replicas (takes the app down)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan and validate it server-side; change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Apply without asking (needed when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Apply without asking (needed when there is no terminal)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait for the change to complete (the default where it applies)')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Do not wait for the change to complete')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'incidentctl;rollback' {
            [CompletionResult]::new('--to-revision', '--to-revision', [CompletionResultType]::ParameterName, 'The revision to return to (default: the one before the current)')
            [CompletionResult]::new('--confirm', '--confirm', [CompletionResultType]::ParameterName, 'For the most destructive changes without a terminal: the target''s name, repeated')
            [CompletionResult]::new('--incident', '--incident', [CompletionResultType]::ParameterName, 'Incident id recorded with the change in the audit log')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the change to complete')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan and validate it server-side; change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Apply without asking (needed when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Apply without asking (needed when there is no terminal)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait for the change to complete (the default where it applies)')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Do not wait for the change to complete')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'incidentctl;db' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('kill-queries', 'kill-queries', [CompletionResultType]::ParameterValue, 'End active client queries running longer than a limit (Runbook 2)')
            [CompletionResult]::new('pool-size', 'pool-size', [CompletionResultType]::ParameterValue, 'Set DB_POOL_SIZE on the backend deployment (Runbook 2)')
            [CompletionResult]::new('analyze', 'analyze', [CompletionResultType]::ParameterValue, 'Refresh planner statistics: ANALYZE (Runbook 4)')
            [CompletionResult]::new('reindex', 'reindex', [CompletionResultType]::ParameterValue, 'Rebuild indexes: REINDEX (Runbook 4)')
            [CompletionResult]::new('restart', 'restart', [CompletionResultType]::ParameterValue, 'Rolling restart of the database workload (Runbook 2)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'incidentctl;db;kill-queries' {
            [CompletionResult]::new('--older-than', '--older-than', [CompletionResultType]::ParameterName, 'Only queries running longer than this')
            [CompletionResult]::new('--confirm', '--confirm', [CompletionResultType]::ParameterName, 'For the most destructive changes without a terminal: the target''s name, repeated')
            [CompletionResult]::new('--incident', '--incident', [CompletionResultType]::ParameterName, 'Incident id recorded with the change in the audit log')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the change to complete')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('--cancel', '--cancel', [CompletionResultType]::ParameterName, 'Cancel the query (pg_cancel_backend) instead of ending the session')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan and validate it server-side; change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Apply without asking (needed when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Apply without asking (needed when there is no terminal)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait for the change to complete (the default where it applies)')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Do not wait for the change to complete')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'incidentctl;db;pool-size' {
            [CompletionResult]::new('--confirm', '--confirm', [CompletionResultType]::ParameterName, 'For the most destructive changes without a terminal: the target''s name, repeated')
            [CompletionResult]::new('--incident', '--incident', [CompletionResultType]::ParameterName, 'Incident id recorded with the change in the audit log')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the change to complete')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan and validate it server-side; change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Apply without asking (needed when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Apply without asking (needed when there is no terminal)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait for the change to complete (the default where it applies)')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Do not wait for the change to complete')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'incidentctl;db;analyze' {
            [CompletionResult]::new('--confirm', '--confirm', [CompletionResultType]::ParameterName, 'For the most destructive changes without a terminal: the target''s name, repeated')
            [CompletionResult]::new('--incident', '--incident', [CompletionResultType]::ParameterName, 'Incident id recorded with the change in the audit log')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the change to complete')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan and validate it server-side; change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Apply without asking (needed when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Apply without asking (needed when there is no terminal)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait for the change to complete (the default where it applies)')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Do not wait for the change to complete')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'incidentctl;db;reindex' {
            [CompletionResult]::new('--confirm', '--confirm', [CompletionResultType]::ParameterName, 'For the most destructive changes without a terminal: the target''s name, repeated')
            [CompletionResult]::new('--incident', '--incident', [CompletionResultType]::ParameterName, 'Incident id recorded with the change in the audit log')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the change to complete')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('--concurrently', '--concurrently', [CompletionResultType]::ParameterName, 'Rebuild index by index without blocking writes (PostgreSQL 12+)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan and validate it server-side; change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Apply without asking (needed when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Apply without asking (needed when there is no terminal)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait for the change to complete (the default where it applies)')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Do not wait for the change to complete')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'incidentctl;db;restart' {
            [CompletionResult]::new('--confirm', '--confirm', [CompletionResultType]::ParameterName, 'For the most destructive changes without a terminal: the target''s name, repeated')
            [CompletionResult]::new('--incident', '--incident', [CompletionResultType]::ParameterName, 'Incident id recorded with the change in the audit log')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the change to complete')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan and validate it server-side; change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Apply without asking (needed when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Apply without asking (needed when there is no terminal)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait for the change to complete (the default where it applies)')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Do not wait for the change to complete')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'incidentctl;db;help' {
            [CompletionResult]::new('kill-queries', 'kill-queries', [CompletionResultType]::ParameterValue, 'End active client queries running longer than a limit (Runbook 2)')
            [CompletionResult]::new('pool-size', 'pool-size', [CompletionResultType]::ParameterValue, 'Set DB_POOL_SIZE on the backend deployment (Runbook 2)')
            [CompletionResult]::new('analyze', 'analyze', [CompletionResultType]::ParameterValue, 'Refresh planner statistics: ANALYZE (Runbook 4)')
            [CompletionResult]::new('reindex', 'reindex', [CompletionResultType]::ParameterValue, 'Rebuild indexes: REINDEX (Runbook 4)')
            [CompletionResult]::new('restart', 'restart', [CompletionResultType]::ParameterValue, 'Rolling restart of the database workload (Runbook 2)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'incidentctl;db;help;kill-queries' {
            break
        }
        'incidentctl;db;help;pool-size' {
            break
        }
        'incidentctl;db;help;analyze' {
            break
        }
        'incidentctl;db;help;reindex' {
            break
        }
        'incidentctl;db;help;restart' {
            break
        }
        'incidentctl;db;help;help' {
            break
        }
        'incidentctl;cache' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('flush', 'flush', [CompletionResultType]::ParameterValue, 'Delete cached keys: matching a pattern, one database, or everything (Runbook 4)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'incidentctl;cache;flush' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Only this database (FLUSHDB), or with --pattern the database to scan')
            [CompletionResult]::new('--pattern', '--pattern', [CompletionResultType]::ParameterName, 'Only keys matching this glob (SCAN MATCH + UNLINK)')
            [CompletionResult]::new('--confirm', '--confirm', [CompletionResultType]::ParameterName, 'For the most destructive changes without a terminal: the target''s name, repeated')
            [CompletionResult]::new('--incident', '--incident', [CompletionResultType]::ParameterName, 'Incident id recorded with the change in the audit log')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the change to complete')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan and validate it server-side; change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Apply without asking (needed when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Apply without asking (needed when there is no terminal)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait for the change to complete (the default where it applies)')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Do not wait for the change to complete')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'incidentctl;cache;help' {
            [CompletionResult]::new('flush', 'flush', [CompletionResultType]::ParameterValue, 'Delete cached keys: matching a pattern, one database, or everything (Runbook 4)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'incidentctl;cache;help;flush' {
            break
        }
        'incidentctl;cache;help;help' {
            break
        }
        'incidentctl;security' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('block-ip', 'block-ip', [CompletionResultType]::ParameterValue, 'Block an IP or CIDR in the app''s NetworkPolicy, keeping every other rule (Runbook 5)')
            [CompletionResult]::new('unblock-ip', 'unblock-ip', [CompletionResultType]::ParameterValue, 'Remove a blocked IP or CIDR from the NetworkPolicy''s except lists (undoes block-ip)')
            [CompletionResult]::new('reset-sessions', 'reset-sessions', [CompletionResultType]::ParameterValue, 'Delete sessions older than a limit, in one transaction (Runbook 5)')
            [CompletionResult]::new('log-level', 'log-level', [CompletionResultType]::ParameterValue, 'Set LOG_LEVEL on the backend deployment (Runbook 5)')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show the app''s configmap, and its secret''s keys with value fingerprints (never values)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'incidentctl;security;block-ip' {
            [CompletionResult]::new('--policy', '--policy', [CompletionResultType]::ParameterName, 'Only this network policy (default: kubernetes.network_policy, else every policy that selects the app''s pods)')
            [CompletionResult]::new('--confirm', '--confirm', [CompletionResultType]::ParameterName, 'For the most destructive changes without a terminal: the target''s name, repeated')
            [CompletionResult]::new('--incident', '--incident', [CompletionResultType]::ParameterName, 'Incident id recorded with the change in the audit log')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the change to complete')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan and validate it server-side; change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Apply without asking (needed when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Apply without asking (needed when there is no terminal)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait for the change to complete (the default where it applies)')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Do not wait for the change to complete')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'incidentctl;security;unblock-ip' {
            [CompletionResult]::new('--policy', '--policy', [CompletionResultType]::ParameterName, 'Only this network policy (default: kubernetes.network_policy, else every policy that selects the app''s pods)')
            [CompletionResult]::new('--confirm', '--confirm', [CompletionResultType]::ParameterName, 'For the most destructive changes without a terminal: the target''s name, repeated')
            [CompletionResult]::new('--incident', '--incident', [CompletionResultType]::ParameterName, 'Incident id recorded with the change in the audit log')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the change to complete')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan and validate it server-side; change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Apply without asking (needed when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Apply without asking (needed when there is no terminal)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait for the change to complete (the default where it applies)')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Do not wait for the change to complete')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'incidentctl;security;reset-sessions' {
            [CompletionResult]::new('--older-than', '--older-than', [CompletionResultType]::ParameterName, 'Only sessions created longer ago than this')
            [CompletionResult]::new('--confirm', '--confirm', [CompletionResultType]::ParameterName, 'For the most destructive changes without a terminal: the target''s name, repeated')
            [CompletionResult]::new('--incident', '--incident', [CompletionResultType]::ParameterName, 'Incident id recorded with the change in the audit log')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the change to complete')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan and validate it server-side; change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Apply without asking (needed when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Apply without asking (needed when there is no terminal)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait for the change to complete (the default where it applies)')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Do not wait for the change to complete')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'incidentctl;security;log-level' {
            [CompletionResult]::new('--confirm', '--confirm', [CompletionResultType]::ParameterName, 'For the most destructive changes without a terminal: the target''s name, repeated')
            [CompletionResult]::new('--incident', '--incident', [CompletionResultType]::ParameterName, 'Incident id recorded with the change in the audit log')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the change to complete')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan and validate it server-side; change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Apply without asking (needed when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Apply without asking (needed when there is no terminal)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait for the change to complete (the default where it applies)')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Do not wait for the change to complete')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'incidentctl;security;config' {
            [CompletionResult]::new('--configmap', '--configmap', [CompletionResultType]::ParameterName, 'The configmap to show (default: kubernetes.configmap, else the one the app''s pods use)')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'The secret to fingerprint (default: kubernetes.secret, else the one the app''s pods use)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'incidentctl;security;help' {
            [CompletionResult]::new('block-ip', 'block-ip', [CompletionResultType]::ParameterValue, 'Block an IP or CIDR in the app''s NetworkPolicy, keeping every other rule (Runbook 5)')
            [CompletionResult]::new('unblock-ip', 'unblock-ip', [CompletionResultType]::ParameterValue, 'Remove a blocked IP or CIDR from the NetworkPolicy''s except lists (undoes block-ip)')
            [CompletionResult]::new('reset-sessions', 'reset-sessions', [CompletionResultType]::ParameterValue, 'Delete sessions older than a limit, in one transaction (Runbook 5)')
            [CompletionResult]::new('log-level', 'log-level', [CompletionResultType]::ParameterValue, 'Set LOG_LEVEL on the backend deployment (Runbook 5)')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show the app''s configmap, and its secret''s keys with value fingerprints (never values)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'incidentctl;security;help;block-ip' {
            break
        }
        'incidentctl;security;help;unblock-ip' {
            break
        }
        'incidentctl;security;help;reset-sessions' {
            break
        }
        'incidentctl;security;help;log-level' {
            break
        }
        'incidentctl;security;help;config' {
            break
        }
        'incidentctl;security;help;help' {
            break
        }
        'incidentctl;silence' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Silence the alerts matching every --matcher, for --duration')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List silences: active and pending (--all: expired too)')
            [CompletionResult]::new('expire', 'expire', [CompletionResultType]::ParameterValue, 'End a silence now')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'incidentctl;silence;add' {
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A label matcher: NAME=VALUE, NAME!=VALUE, NAME=~REGEX or NAME!~REGEX (repeatable)')
            [CompletionResult]::new('--matcher', '--matcher', [CompletionResultType]::ParameterName, 'A label matcher: NAME=VALUE, NAME!=VALUE, NAME=~REGEX or NAME!~REGEX (repeatable)')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'How long the silence lasts')
            [CompletionResult]::new('--comment', '--comment', [CompletionResultType]::ParameterName, 'Why: shown to whoever finds the silence later')
            [CompletionResult]::new('--confirm', '--confirm', [CompletionResultType]::ParameterName, 'For the most destructive changes without a terminal: the target''s name, repeated')
            [CompletionResult]::new('--incident', '--incident', [CompletionResultType]::ParameterName, 'Incident id recorded with the change in the audit log')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the change to complete')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan and validate it server-side; change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Apply without asking (needed when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Apply without asking (needed when there is no terminal)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait for the change to complete (the default where it applies)')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Do not wait for the change to complete')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'incidentctl;silence;list' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Expired silences too')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'incidentctl;silence;expire' {
            [CompletionResult]::new('--confirm', '--confirm', [CompletionResultType]::ParameterName, 'For the most destructive changes without a terminal: the target''s name, repeated')
            [CompletionResult]::new('--incident', '--incident', [CompletionResultType]::ParameterName, 'Incident id recorded with the change in the audit log')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the change to complete')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan and validate it server-side; change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Apply without asking (needed when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Apply without asking (needed when there is no terminal)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait for the change to complete (the default where it applies)')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Do not wait for the change to complete')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'incidentctl;silence;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Silence the alerts matching every --matcher, for --duration')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List silences: active and pending (--all: expired too)')
            [CompletionResult]::new('expire', 'expire', [CompletionResultType]::ParameterValue, 'End a silence now')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'incidentctl;silence;help;add' {
            break
        }
        'incidentctl;silence;help;list' {
            break
        }
        'incidentctl;silence;help;expire' {
            break
        }
        'incidentctl;silence;help;help' {
            break
        }
        'incidentctl;report' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Incident store: a directory or a postgres:// URL')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Open an incident; prints its id')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Incidents with severity, status, age, next update and escalation level')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One incident with its clocks and timeline')
            [CompletionResult]::new('ack', 'ack', [CompletionResultType]::ParameterValue, 'Acknowledge: stops the response-time clock')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Move the incident to a status')
            [CompletionResult]::new('severity', 'severity', [CompletionResultType]::ParameterValue, 'Change the severity (recorded in the timeline)')
            [CompletionResult]::new('assign', 'assign', [CompletionResultType]::ParameterValue, 'Give a role to a person')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Add a timeline entry')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Fill in the report template''s fields')
            [CompletionResult]::new('follow-up', 'follow-up', [CompletionResultType]::ParameterValue, 'Add a follow-up action (a checkbox in the report)')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'The post-mortem report: the seed''s template, filled in')
            [CompletionResult]::new('notify', 'notify', [CompletionResultType]::ParameterValue, 'Post a status update to Slack (report.slack_webhook or SLACK_WEBHOOK_URL)')
            [CompletionResult]::new('close', 'close', [CompletionResultType]::ParameterValue, 'Close a resolved incident (root cause and resolution filled in, or --force --reason)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'incidentctl;report;new' {
            [CompletionResult]::new('--title', '--title', [CompletionResultType]::ParameterName, 'title')
            [CompletionResult]::new('--severity', '--severity', [CompletionResultType]::ParameterName, 'SEV1..SEV4 (or take diagnose''s suggestion with --from-diagnose)')
            [CompletionResult]::new('--commander', '--commander', [CompletionResultType]::ParameterName, 'Incident commander')
            [CompletionResult]::new('--detected-at', '--detected-at', [CompletionResultType]::ParameterName, 'When it was detected: RFC 3339, or ''15m ago'' (default: now)')
            [CompletionResult]::new('--from-diagnose', '--from-diagnose', [CompletionResultType]::ParameterName, 'Take the severity from diagnose: run it now, or read a saved `diagnose -o json`')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Incident store: a directory or a postgres:// URL')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'incidentctl;report;list' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Incident store: a directory or a postgres:// URL')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('--open', '--open', [CompletionResultType]::ParameterName, 'Only incidents not yet resolved')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'incidentctl;report;show' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Incident store: a directory or a postgres:// URL')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'incidentctl;report;ack' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Incident store: a directory or a postgres:// URL')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'incidentctl;report;status' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Incident store: a directory or a postgres:// URL')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'incidentctl;report;severity' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Incident store: a directory or a postgres:// URL')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'incidentctl;report;assign' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Incident store: a directory or a postgres:// URL')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'incidentctl;report;log' {
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'When it happened: RFC 3339, or ''10m ago'' (default: now)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Incident store: a directory or a postgres:// URL')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'incidentctl;report;set' {
            [CompletionResult]::new('--summary', '--summary', [CompletionResultType]::ParameterName, 'summary')
            [CompletionResult]::new('--impact', '--impact', [CompletionResultType]::ParameterName, 'impact')
            [CompletionResult]::new('--users-affected', '--users-affected', [CompletionResultType]::ParameterName, 'users-affected')
            [CompletionResult]::new('--services', '--services', [CompletionResultType]::ParameterName, 'Comma-separated')
            [CompletionResult]::new('--root-cause', '--root-cause', [CompletionResultType]::ParameterName, 'root-cause')
            [CompletionResult]::new('--resolution', '--resolution', [CompletionResultType]::ParameterName, 'resolution')
            [CompletionResult]::new('--lessons', '--lessons', [CompletionResultType]::ParameterName, 'lessons')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Incident store: a directory or a postgres:// URL')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'incidentctl;report;follow-up' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Incident store: a directory or a postgres:// URL')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'incidentctl;report;render' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Incident store: a directory or a postgres:// URL')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'incidentctl;report;notify' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Incident store: a directory or a postgres:// URL')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the message; post nothing, record nothing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'incidentctl;report;close' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'reason')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Incident store: a directory or a postgres:// URL')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'force')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'incidentctl;report;help' {
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Open an incident; prints its id')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Incidents with severity, status, age, next update and escalation level')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One incident with its clocks and timeline')
            [CompletionResult]::new('ack', 'ack', [CompletionResultType]::ParameterValue, 'Acknowledge: stops the response-time clock')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Move the incident to a status')
            [CompletionResult]::new('severity', 'severity', [CompletionResultType]::ParameterValue, 'Change the severity (recorded in the timeline)')
            [CompletionResult]::new('assign', 'assign', [CompletionResultType]::ParameterValue, 'Give a role to a person')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Add a timeline entry')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Fill in the report template''s fields')
            [CompletionResult]::new('follow-up', 'follow-up', [CompletionResultType]::ParameterValue, 'Add a follow-up action (a checkbox in the report)')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'The post-mortem report: the seed''s template, filled in')
            [CompletionResult]::new('notify', 'notify', [CompletionResultType]::ParameterValue, 'Post a status update to Slack (report.slack_webhook or SLACK_WEBHOOK_URL)')
            [CompletionResult]::new('close', 'close', [CompletionResultType]::ParameterValue, 'Close a resolved incident (root cause and resolution filled in, or --force --reason)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'incidentctl;report;help;new' {
            break
        }
        'incidentctl;report;help;list' {
            break
        }
        'incidentctl;report;help;show' {
            break
        }
        'incidentctl;report;help;ack' {
            break
        }
        'incidentctl;report;help;status' {
            break
        }
        'incidentctl;report;help;severity' {
            break
        }
        'incidentctl;report;help;assign' {
            break
        }
        'incidentctl;report;help;log' {
            break
        }
        'incidentctl;report;help;set' {
            break
        }
        'incidentctl;report;help;follow-up' {
            break
        }
        'incidentctl;report;help;render' {
            break
        }
        'incidentctl;report;help;notify' {
            break
        }
        'incidentctl;report;help;close' {
            break
        }
        'incidentctl;report;help;help' {
            break
        }
        'incidentctl;doctor' {
            [CompletionResult]::new('--deployment', '--deployment', [CompletionResultType]::ParameterName, 'An app deployment (repeat for several)')
            [CompletionResult]::new('--ingress', '--ingress', [CompletionResultType]::ParameterName, 'The app''s ingress')
            [CompletionResult]::new('--configmap', '--configmap', [CompletionResultType]::ParameterName, 'The app''s configmap')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'The app''s secret (its keys only are ever read out)')
            [CompletionResult]::new('--policy', '--policy', [CompletionResultType]::ParameterName, 'The app''s network policy')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('--send-test', '--send-test', [CompletionResultType]::ParameterName, 'Post a test message to the Slack webhook')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'incidentctl;config' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the resolved settings (file, environment and flags merged), secrets redacted')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'incidentctl;config;show' {
            [CompletionResult]::new('--deployment', '--deployment', [CompletionResultType]::ParameterName, 'An app deployment (repeat for several)')
            [CompletionResult]::new('--ingress', '--ingress', [CompletionResultType]::ParameterName, 'The app''s ingress')
            [CompletionResult]::new('--configmap', '--configmap', [CompletionResultType]::ParameterName, 'The app''s configmap')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'The app''s secret (its keys only are ever read out)')
            [CompletionResult]::new('--policy', '--policy', [CompletionResultType]::ParameterName, 'The app''s network policy')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'incidentctl;config;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the resolved settings (file, environment and flags merged), secrets redacted')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'incidentctl;config;help;show' {
            break
        }
        'incidentctl;config;help;help' {
            break
        }
        'incidentctl;completion' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'incidentctl;generate-docs' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the application (default: reconciliation)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the results: no progress, hints or notes on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every piece of evidence and where settings came from')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (NO_COLOR is honoured too)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'incidentctl;help' {
            [CompletionResult]::new('diagnose', 'diagnose', [CompletionResultType]::ParameterValue, 'Run every runbook''s investigation steps at once and suggest a severity')
            [CompletionResult]::new('restart', 'restart', [CompletionResultType]::ParameterValue, 'Rolling restart of app deployments (kubectl rollout restart), then wait for the rollout')
            [CompletionResult]::new('scale', 'scale', [CompletionResultType]::ParameterValue, 'Set a deployment''s replica count (kubectl scale), then wait for the replicas to be ready')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Return a deployment to an earlier revision''s pod template (kubectl rollout undo), then wait')
            [CompletionResult]::new('db', 'db', [CompletionResultType]::ParameterValue, 'Database resolution steps: kill long queries, pool size, analyze, reindex, restart')
            [CompletionResult]::new('cache', 'cache', [CompletionResultType]::ParameterValue, 'Cache resolution steps: flush keys, a database, or everything')
            [CompletionResult]::new('security', 'security', [CompletionResultType]::ParameterValue, 'Security resolution steps: block IPs, reset sessions, log level, inspect config safely')
            [CompletionResult]::new('silence', 'silence', [CompletionResultType]::ParameterValue, 'Alertmanager silences: add, list, expire (make the pager stop while you work)')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'The incident itself: severity, timeline, clocks, Slack updates and the post-mortem report')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the set-up before the incident: reachability, credentials, privileges, webhook')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Inspect incidentctl''s own configuration')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('generate-docs', 'generate-docs', [CompletionResultType]::ParameterValue, 'Write the man pages and completion scripts into a directory (for packagers)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'incidentctl;help;diagnose' {
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare two runs saved by `diagnose -o json`: what is new, worse, better, resolved')
            break
        }
        'incidentctl;help;diagnose;diff' {
            break
        }
        'incidentctl;help;restart' {
            break
        }
        'incidentctl;help;scale' {
            break
        }
        'incidentctl;help;rollback' {
            break
        }
        'incidentctl;help;db' {
            [CompletionResult]::new('kill-queries', 'kill-queries', [CompletionResultType]::ParameterValue, 'End active client queries running longer than a limit (Runbook 2)')
            [CompletionResult]::new('pool-size', 'pool-size', [CompletionResultType]::ParameterValue, 'Set DB_POOL_SIZE on the backend deployment (Runbook 2)')
            [CompletionResult]::new('analyze', 'analyze', [CompletionResultType]::ParameterValue, 'Refresh planner statistics: ANALYZE (Runbook 4)')
            [CompletionResult]::new('reindex', 'reindex', [CompletionResultType]::ParameterValue, 'Rebuild indexes: REINDEX (Runbook 4)')
            [CompletionResult]::new('restart', 'restart', [CompletionResultType]::ParameterValue, 'Rolling restart of the database workload (Runbook 2)')
            break
        }
        'incidentctl;help;db;kill-queries' {
            break
        }
        'incidentctl;help;db;pool-size' {
            break
        }
        'incidentctl;help;db;analyze' {
            break
        }
        'incidentctl;help;db;reindex' {
            break
        }
        'incidentctl;help;db;restart' {
            break
        }
        'incidentctl;help;cache' {
            [CompletionResult]::new('flush', 'flush', [CompletionResultType]::ParameterValue, 'Delete cached keys: matching a pattern, one database, or everything (Runbook 4)')
            break
        }
        'incidentctl;help;cache;flush' {
            break
        }
        'incidentctl;help;security' {
            [CompletionResult]::new('block-ip', 'block-ip', [CompletionResultType]::ParameterValue, 'Block an IP or CIDR in the app''s NetworkPolicy, keeping every other rule (Runbook 5)')
            [CompletionResult]::new('unblock-ip', 'unblock-ip', [CompletionResultType]::ParameterValue, 'Remove a blocked IP or CIDR from the NetworkPolicy''s except lists (undoes block-ip)')
            [CompletionResult]::new('reset-sessions', 'reset-sessions', [CompletionResultType]::ParameterValue, 'Delete sessions older than a limit, in one transaction (Runbook 5)')
            [CompletionResult]::new('log-level', 'log-level', [CompletionResultType]::ParameterValue, 'Set LOG_LEVEL on the backend deployment (Runbook 5)')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show the app''s configmap, and its secret''s keys with value fingerprints (never values)')
            break
        }
        'incidentctl;help;security;block-ip' {
            break
        }
        'incidentctl;help;security;unblock-ip' {
            break
        }
        'incidentctl;help;security;reset-sessions' {
            break
        }
        'incidentctl;help;security;log-level' {
            break
        }
        'incidentctl;help;security;config' {
            break
        }
        'incidentctl;help;silence' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Silence the alerts matching every --matcher, for --duration')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List silences: active and pending (--all: expired too)')
            [CompletionResult]::new('expire', 'expire', [CompletionResultType]::ParameterValue, 'End a silence now')
            break
        }
        'incidentctl;help;silence;add' {
            break
        }
        'incidentctl;help;silence;list' {
            break
        }
        'incidentctl;help;silence;expire' {
            break
        }
        'incidentctl;help;report' {
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Open an incident; prints its id')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Incidents with severity, status, age, next update and escalation level')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One incident with its clocks and timeline')
            [CompletionResult]::new('ack', 'ack', [CompletionResultType]::ParameterValue, 'Acknowledge: stops the response-time clock')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Move the incident to a status')
            [CompletionResult]::new('severity', 'severity', [CompletionResultType]::ParameterValue, 'Change the severity (recorded in the timeline)')
            [CompletionResult]::new('assign', 'assign', [CompletionResultType]::ParameterValue, 'Give a role to a person')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Add a timeline entry')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Fill in the report template''s fields')
            [CompletionResult]::new('follow-up', 'follow-up', [CompletionResultType]::ParameterValue, 'Add a follow-up action (a checkbox in the report)')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'The post-mortem report: the seed''s template, filled in')
            [CompletionResult]::new('notify', 'notify', [CompletionResultType]::ParameterValue, 'Post a status update to Slack (report.slack_webhook or SLACK_WEBHOOK_URL)')
            [CompletionResult]::new('close', 'close', [CompletionResultType]::ParameterValue, 'Close a resolved incident (root cause and resolution filled in, or --force --reason)')
            break
        }
        'incidentctl;help;report;new' {
            break
        }
        'incidentctl;help;report;list' {
            break
        }
        'incidentctl;help;report;show' {
            break
        }
        'incidentctl;help;report;ack' {
            break
        }
        'incidentctl;help;report;status' {
            break
        }
        'incidentctl;help;report;severity' {
            break
        }
        'incidentctl;help;report;assign' {
            break
        }
        'incidentctl;help;report;log' {
            break
        }
        'incidentctl;help;report;set' {
            break
        }
        'incidentctl;help;report;follow-up' {
            break
        }
        'incidentctl;help;report;render' {
            break
        }
        'incidentctl;help;report;notify' {
            break
        }
        'incidentctl;help;report;close' {
            break
        }
        'incidentctl;help;doctor' {
            break
        }
        'incidentctl;help;config' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the resolved settings (file, environment and flags merged), secrets redacted')
            break
        }
        'incidentctl;help;config;show' {
            break
        }
        'incidentctl;help;completion' {
            break
        }
        'incidentctl;help;generate-docs' {
            break
        }
        'incidentctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
