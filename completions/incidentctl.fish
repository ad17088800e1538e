# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_incidentctl_global_optspecs
    string join \n config= context= n/namespace= o/output= timeout= q/quiet v/verbose no-color h/help V/version
end

function __fish_incidentctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_incidentctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_incidentctl_using_subcommand
    set -l cmd (__fish_incidentctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c incidentctl -n "__fish_incidentctl_needs_command" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_needs_command" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_needs_command" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_needs_command" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_needs_command" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_needs_command" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_needs_command" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_needs_command" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_needs_command" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_needs_command" -f -a "diagnose" -d 'Run every runbook\'s investigation steps at once and suggest a severity'
complete -c incidentctl -n "__fish_incidentctl_needs_command" -f -a "restart" -d 'Rolling restart of app deployments (kubectl rollout restart), then wait for the rollout'
complete -c incidentctl -n "__fish_incidentctl_needs_command" -f -a "scale" -d 'Set a deployment\'s replica count (kubectl scale), then wait for the replicas to be ready'
complete -c incidentctl -n "__fish_incidentctl_needs_command" -f -a "rollback" -d 'Return a deployment to an earlier revision\'s pod template (kubectl rollout undo), then wait'
complete -c incidentctl -n "__fish_incidentctl_needs_command" -f -a "db" -d 'Database resolution steps: kill long queries, pool size, analyze, reindex, restart'
complete -c incidentctl -n "__fish_incidentctl_needs_command" -f -a "cache" -d 'Cache resolution steps: flush keys, a database, or everything'
complete -c incidentctl -n "__fish_incidentctl_needs_command" -f -a "security" -d 'Security resolution steps: block IPs, reset sessions, log level, inspect config safely'
complete -c incidentctl -n "__fish_incidentctl_needs_command" -f -a "silence" -d 'Alertmanager silences: add, list, expire (make the pager stop while you work)'
complete -c incidentctl -n "__fish_incidentctl_needs_command" -f -a "report" -d 'The incident itself: severity, timeline, clocks, Slack updates and the post-mortem report'
complete -c incidentctl -n "__fish_incidentctl_needs_command" -f -a "doctor" -d 'Check the set-up before the incident: reachability, credentials, privileges, webhook'
complete -c incidentctl -n "__fish_incidentctl_needs_command" -f -a "config" -d 'Inspect incidentctl\'s own configuration'
complete -c incidentctl -n "__fish_incidentctl_needs_command" -f -a "completion" -d 'Print a shell completion script'
complete -c incidentctl -n "__fish_incidentctl_needs_command" -f -a "generate-docs" -d 'Write the man pages and completion scripts into a directory (for packagers)'
complete -c incidentctl -n "__fish_incidentctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and not __fish_seen_subcommand_from diff help" -l check -d 'Run only this check (repeat for several), built-in or declared with [[check]]' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and not __fish_seen_subcommand_from diff help" -l incident -d 'Attach the findings to this incident (evidence file and a timeline entry)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and not __fish_seen_subcommand_from diff help" -l fail-on -d 'Exit 0 unless a check reaches this level (unknown always fails); marks JUnit failures' -r -f -a "warning\t''
critical\t''"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and not __fish_seen_subcommand_from diff help" -l capture -d 'Save the evidence (events, pods, logs of unhealthy pods, sessions, locks, INFO, alerts, queries) into this new or empty directory, redacted, with a manifest of sha256 hashes' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and not __fish_seen_subcommand_from diff help" -l baseline -d 'Compare with a run saved by `diagnose -o json`: new, worse, same, better or resolved' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and not __fish_seen_subcommand_from diff help" -l interval -d 'With --watch: time from the start of one run to the start of the next' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and not __fish_seen_subcommand_from diff help" -l until -d 'With --watch: exit 0 as soon as every check is at or below this level' -r -f -a "ok\t''
warning\t''"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and not __fish_seen_subcommand_from diff help" -l watch-timeout -d 'With --watch: stop after this long, with the last run\'s exit code' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and not __fish_seen_subcommand_from diff help" -l deployment -d 'An app deployment (repeat for several)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and not __fish_seen_subcommand_from diff help" -l ingress -d 'The app\'s ingress' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and not __fish_seen_subcommand_from diff help" -l configmap -d 'The app\'s configmap' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and not __fish_seen_subcommand_from diff help" -l secret -d 'The app\'s secret (its keys only are ever read out)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and not __fish_seen_subcommand_from diff help" -l policy -d 'The app\'s network policy' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and not __fish_seen_subcommand_from diff help" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and not __fish_seen_subcommand_from diff help" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and not __fish_seen_subcommand_from diff help" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and not __fish_seen_subcommand_from diff help" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and not __fish_seen_subcommand_from diff help" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and not __fish_seen_subcommand_from diff help" -l list -d 'List the checks these runbooks would run, without running them'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and not __fish_seen_subcommand_from diff help" -l all-contexts -d 'Diagnose every context of the kubeconfig (concurrently, results grouped by context)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and not __fish_seen_subcommand_from diff help" -l fail-on-new -d 'With --baseline: the exit code counts only new and worse findings'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and not __fish_seen_subcommand_from diff help" -l watch -d 'Run again and again, showing what changed since the last run (Ctrl-C to stop)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and not __fish_seen_subcommand_from diff help" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and not __fish_seen_subcommand_from diff help" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and not __fish_seen_subcommand_from diff help" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and not __fish_seen_subcommand_from diff help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and not __fish_seen_subcommand_from diff help" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and not __fish_seen_subcommand_from diff help" -a "diff" -d 'Compare two runs saved by `diagnose -o json`: what is new, worse, better, resolved'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and not __fish_seen_subcommand_from diff help" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and __fish_seen_subcommand_from diff" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and __fish_seen_subcommand_from diff" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and __fish_seen_subcommand_from diff" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and __fish_seen_subcommand_from diff" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and __fish_seen_subcommand_from diff" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and __fish_seen_subcommand_from diff" -l all -d 'List every check, not only those that changed'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and __fish_seen_subcommand_from diff" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and __fish_seen_subcommand_from diff" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and __fish_seen_subcommand_from diff" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and __fish_seen_subcommand_from diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and __fish_seen_subcommand_from diff" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and __fish_seen_subcommand_from help" -f -a "diff" -d 'Compare two runs saved by `diagnose -o json`: what is new, worse, better, resolved'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand diagnose; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand restart" -l confirm -d 'For the most destructive changes without a terminal: the target\'s name, repeated' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand restart" -l incident -d 'Incident id recorded with the change in the audit log' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand restart" -l wait-timeout -d 'How long to wait for the change to complete' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand restart" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand restart" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand restart" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand restart" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand restart" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand restart" -l dry-run -d 'Show the plan and validate it server-side; change nothing'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand restart" -s y -l yes -d 'Apply without asking (needed when there is no terminal)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand restart" -l wait -d 'Wait for the change to complete (the default where it applies)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand restart" -l no-wait -d 'Do not wait for the change to complete'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand restart" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand restart" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand restart" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand restart" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand restart" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand scale" -l replicas -d 'The new replica count' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand scale" -l confirm -d 'For the most destructive changes without a terminal: the target\'s name, repeated' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand scale" -l incident -d 'Incident id recorded with the change in the audit log' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand scale" -l wait-timeout -d 'How long to wait for the change to complete' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand scale" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand scale" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand scale" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand scale" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand scale" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand scale" -l allow-zero -d 'Allow scaling to 0 replicas (takes the app down)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand scale" -l dry-run -d 'Show the plan and validate it server-side; change nothing'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand scale" -s y -l yes -d 'Apply without asking (needed when there is no terminal)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand scale" -l wait -d 'Wait for the change to complete (the default where it applies)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand scale" -l no-wait -d 'Do not wait for the change to complete'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand scale" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand scale" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand scale" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand scale" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand scale" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand rollback" -l to-revision -d 'The revision to return to (default: the one before the current)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand rollback" -l confirm -d 'For the most destructive changes without a terminal: the target\'s name, repeated' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand rollback" -l incident -d 'Incident id recorded with the change in the audit log' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand rollback" -l wait-timeout -d 'How long to wait for the change to complete' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand rollback" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand rollback" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand rollback" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand rollback" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand rollback" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand rollback" -l dry-run -d 'Show the plan and validate it server-side; change nothing'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand rollback" -s y -l yes -d 'Apply without asking (needed when there is no terminal)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand rollback" -l wait -d 'Wait for the change to complete (the default where it applies)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand rollback" -l no-wait -d 'Do not wait for the change to complete'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand rollback" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand rollback" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand rollback" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand rollback" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand rollback" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and not __fish_seen_subcommand_from kill-queries pool-size analyze reindex restart help" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and not __fish_seen_subcommand_from kill-queries pool-size analyze reindex restart help" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and not __fish_seen_subcommand_from kill-queries pool-size analyze reindex restart help" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and not __fish_seen_subcommand_from kill-queries pool-size analyze reindex restart help" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and not __fish_seen_subcommand_from kill-queries pool-size analyze reindex restart help" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and not __fish_seen_subcommand_from kill-queries pool-size analyze reindex restart help" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and not __fish_seen_subcommand_from kill-queries pool-size analyze reindex restart help" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and not __fish_seen_subcommand_from kill-queries pool-size analyze reindex restart help" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and not __fish_seen_subcommand_from kill-queries pool-size analyze reindex restart help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and not __fish_seen_subcommand_from kill-queries pool-size analyze reindex restart help" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and not __fish_seen_subcommand_from kill-queries pool-size analyze reindex restart help" -f -a "kill-queries" -d 'End active client queries running longer than a limit (Runbook 2)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and not __fish_seen_subcommand_from kill-queries pool-size analyze reindex restart help" -f -a "pool-size" -d 'Set DB_POOL_SIZE on the backend deployment (Runbook 2)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and not __fish_seen_subcommand_from kill-queries pool-size analyze reindex restart help" -f -a "analyze" -d 'Refresh planner statistics: ANALYZE (Runbook 4)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and not __fish_seen_subcommand_from kill-queries pool-size analyze reindex restart help" -f -a "reindex" -d 'Rebuild indexes: REINDEX (Runbook 4)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and not __fish_seen_subcommand_from kill-queries pool-size analyze reindex restart help" -f -a "restart" -d 'Rolling restart of the database workload (Runbook 2)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and not __fish_seen_subcommand_from kill-queries pool-size analyze reindex restart help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from kill-queries" -l older-than -d 'Only queries running longer than this' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from kill-queries" -l confirm -d 'For the most destructive changes without a terminal: the target\'s name, repeated' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from kill-queries" -l incident -d 'Incident id recorded with the change in the audit log' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from kill-queries" -l wait-timeout -d 'How long to wait for the change to complete' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from kill-queries" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from kill-queries" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from kill-queries" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from kill-queries" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from kill-queries" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from kill-queries" -l cancel -d 'Cancel the query (pg_cancel_backend) instead of ending the session'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from kill-queries" -l dry-run -d 'Show the plan and validate it server-side; change nothing'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from kill-queries" -s y -l yes -d 'Apply without asking (needed when there is no terminal)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from kill-queries" -l wait -d 'Wait for the change to complete (the default where it applies)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from kill-queries" -l no-wait -d 'Do not wait for the change to complete'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from kill-queries" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from kill-queries" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from kill-queries" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from kill-queries" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from kill-queries" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from pool-size" -l confirm -d 'For the most destructive changes without a terminal: the target\'s name, repeated' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from pool-size" -l incident -d 'Incident id recorded with the change in the audit log' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from pool-size" -l wait-timeout -d 'How long to wait for the change to complete' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from pool-size" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from pool-size" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from pool-size" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from pool-size" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from pool-size" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from pool-size" -l dry-run -d 'Show the plan and validate it server-side; change nothing'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from pool-size" -s y -l yes -d 'Apply without asking (needed when there is no terminal)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from pool-size" -l wait -d 'Wait for the change to complete (the default where it applies)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from pool-size" -l no-wait -d 'Do not wait for the change to complete'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from pool-size" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from pool-size" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from pool-size" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from pool-size" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from pool-size" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from analyze" -l confirm -d 'For the most destructive changes without a terminal: the target\'s name, repeated' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from analyze" -l incident -d 'Incident id recorded with the change in the audit log' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from analyze" -l wait-timeout -d 'How long to wait for the change to complete' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from analyze" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from analyze" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from analyze" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from analyze" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from analyze" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from analyze" -l dry-run -d 'Show the plan and validate it server-side; change nothing'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from analyze" -s y -l yes -d 'Apply without asking (needed when there is no terminal)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from analyze" -l wait -d 'Wait for the change to complete (the default where it applies)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from analyze" -l no-wait -d 'Do not wait for the change to complete'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from analyze" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from analyze" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from analyze" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from analyze" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from analyze" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from reindex" -l confirm -d 'For the most destructive changes without a terminal: the target\'s name, repeated' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from reindex" -l incident -d 'Incident id recorded with the change in the audit log' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from reindex" -l wait-timeout -d 'How long to wait for the change to complete' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from reindex" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from reindex" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from reindex" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from reindex" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from reindex" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from reindex" -l concurrently -d 'Rebuild index by index without blocking writes (PostgreSQL 12+)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from reindex" -l dry-run -d 'Show the plan and validate it server-side; change nothing'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from reindex" -s y -l yes -d 'Apply without asking (needed when there is no terminal)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from reindex" -l wait -d 'Wait for the change to complete (the default where it applies)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from reindex" -l no-wait -d 'Do not wait for the change to complete'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from reindex" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from reindex" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from reindex" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from reindex" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from reindex" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from restart" -l confirm -d 'For the most destructive changes without a terminal: the target\'s name, repeated' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from restart" -l incident -d 'Incident id recorded with the change in the audit log' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from restart" -l wait-timeout -d 'How long to wait for the change to complete' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from restart" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from restart" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from restart" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from restart" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from restart" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from restart" -l dry-run -d 'Show the plan and validate it server-side; change nothing'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from restart" -s y -l yes -d 'Apply without asking (needed when there is no terminal)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from restart" -l wait -d 'Wait for the change to complete (the default where it applies)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from restart" -l no-wait -d 'Do not wait for the change to complete'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from restart" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from restart" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from restart" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from restart" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from restart" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "kill-queries" -d 'End active client queries running longer than a limit (Runbook 2)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "pool-size" -d 'Set DB_POOL_SIZE on the backend deployment (Runbook 2)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "analyze" -d 'Refresh planner statistics: ANALYZE (Runbook 4)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "reindex" -d 'Rebuild indexes: REINDEX (Runbook 4)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "restart" -d 'Rolling restart of the database workload (Runbook 2)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand cache; and not __fish_seen_subcommand_from flush help" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand cache; and not __fish_seen_subcommand_from flush help" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand cache; and not __fish_seen_subcommand_from flush help" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand cache; and not __fish_seen_subcommand_from flush help" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand cache; and not __fish_seen_subcommand_from flush help" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand cache; and not __fish_seen_subcommand_from flush help" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand cache; and not __fish_seen_subcommand_from flush help" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand cache; and not __fish_seen_subcommand_from flush help" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand cache; and not __fish_seen_subcommand_from flush help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand cache; and not __fish_seen_subcommand_from flush help" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand cache; and not __fish_seen_subcommand_from flush help" -f -a "flush" -d 'Delete cached keys: matching a pattern, one database, or everything (Runbook 4)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand cache; and not __fish_seen_subcommand_from flush help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand cache; and __fish_seen_subcommand_from flush" -l db -d 'Only this database (FLUSHDB), or with --pattern the database to scan' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand cache; and __fish_seen_subcommand_from flush" -l pattern -d 'Only keys matching this glob (SCAN MATCH + UNLINK)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand cache; and __fish_seen_subcommand_from flush" -l confirm -d 'For the most destructive changes without a terminal: the target\'s name, repeated' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand cache; and __fish_seen_subcommand_from flush" -l incident -d 'Incident id recorded with the change in the audit log' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand cache; and __fish_seen_subcommand_from flush" -l wait-timeout -d 'How long to wait for the change to complete' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand cache; and __fish_seen_subcommand_from flush" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand cache; and __fish_seen_subcommand_from flush" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand cache; and __fish_seen_subcommand_from flush" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand cache; and __fish_seen_subcommand_from flush" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand cache; and __fish_seen_subcommand_from flush" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand cache; and __fish_seen_subcommand_from flush" -l dry-run -d 'Show the plan and validate it server-side; change nothing'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand cache; and __fish_seen_subcommand_from flush" -s y -l yes -d 'Apply without asking (needed when there is no terminal)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand cache; and __fish_seen_subcommand_from flush" -l wait -d 'Wait for the change to complete (the default where it applies)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand cache; and __fish_seen_subcommand_from flush" -l no-wait -d 'Do not wait for the change to complete'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand cache; and __fish_seen_subcommand_from flush" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand cache; and __fish_seen_subcommand_from flush" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand cache; and __fish_seen_subcommand_from flush" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand cache; and __fish_seen_subcommand_from flush" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand cache; and __fish_seen_subcommand_from flush" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "flush" -d 'Delete cached keys: matching a pattern, one database, or everything (Runbook 4)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and not __fish_seen_subcommand_from block-ip unblock-ip reset-sessions log-level config help" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and not __fish_seen_subcommand_from block-ip unblock-ip reset-sessions log-level config help" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and not __fish_seen_subcommand_from block-ip unblock-ip reset-sessions log-level config help" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and not __fish_seen_subcommand_from block-ip unblock-ip reset-sessions log-level config help" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and not __fish_seen_subcommand_from block-ip unblock-ip reset-sessions log-level config help" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and not __fish_seen_subcommand_from block-ip unblock-ip reset-sessions log-level config help" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and not __fish_seen_subcommand_from block-ip unblock-ip reset-sessions log-level config help" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and not __fish_seen_subcommand_from block-ip unblock-ip reset-sessions log-level config help" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and not __fish_seen_subcommand_from block-ip unblock-ip reset-sessions log-level config help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and not __fish_seen_subcommand_from block-ip unblock-ip reset-sessions log-level config help" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and not __fish_seen_subcommand_from block-ip unblock-ip reset-sessions log-level config help" -f -a "block-ip" -d 'Block an IP or CIDR in the app\'s NetworkPolicy, keeping every other rule (Runbook 5)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and not __fish_seen_subcommand_from block-ip unblock-ip reset-sessions log-level config help" -f -a "unblock-ip" -d 'Remove a blocked IP or CIDR from the NetworkPolicy\'s except lists (undoes block-ip)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and not __fish_seen_subcommand_from block-ip unblock-ip reset-sessions log-level config help" -f -a "reset-sessions" -d 'Delete sessions older than a limit, in one transaction (Runbook 5)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and not __fish_seen_subcommand_from block-ip unblock-ip reset-sessions log-level config help" -f -a "log-level" -d 'Set LOG_LEVEL on the backend deployment (Runbook 5)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and not __fish_seen_subcommand_from block-ip unblock-ip reset-sessions log-level config help" -f -a "config" -d 'Show the app\'s configmap, and its secret\'s keys with value fingerprints (never values)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and not __fish_seen_subcommand_from block-ip unblock-ip reset-sessions log-level config help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from block-ip" -l policy -d 'Only this network policy (default: kubernetes.network_policy, else every policy that selects the app\'s pods)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from block-ip" -l confirm -d 'For the most destructive changes without a terminal: the target\'s name, repeated' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from block-ip" -l incident -d 'Incident id recorded with the change in the audit log' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from block-ip" -l wait-timeout -d 'How long to wait for the change to complete' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from block-ip" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from block-ip" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from block-ip" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from block-ip" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from block-ip" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from block-ip" -l dry-run -d 'Show the plan and validate it server-side; change nothing'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from block-ip" -s y -l yes -d 'Apply without asking (needed when there is no terminal)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from block-ip" -l wait -d 'Wait for the change to complete (the default where it applies)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from block-ip" -l no-wait -d 'Do not wait for the change to complete'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from block-ip" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from block-ip" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from block-ip" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from block-ip" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from block-ip" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from unblock-ip" -l policy -d 'Only this network policy (default: kubernetes.network_policy, else every policy that selects the app\'s pods)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from unblock-ip" -l confirm -d 'For the most destructive changes without a terminal: the target\'s name, repeated' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from unblock-ip" -l incident -d 'Incident id recorded with the change in the audit log' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from unblock-ip" -l wait-timeout -d 'How long to wait for the change to complete' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from unblock-ip" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from unblock-ip" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from unblock-ip" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from unblock-ip" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from unblock-ip" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from unblock-ip" -l dry-run -d 'Show the plan and validate it server-side; change nothing'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from unblock-ip" -s y -l yes -d 'Apply without asking (needed when there is no terminal)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from unblock-ip" -l wait -d 'Wait for the change to complete (the default where it applies)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from unblock-ip" -l no-wait -d 'Do not wait for the change to complete'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from unblock-ip" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from unblock-ip" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from unblock-ip" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from unblock-ip" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from unblock-ip" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from reset-sessions" -l older-than -d 'Only sessions created longer ago than this' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from reset-sessions" -l confirm -d 'For the most destructive changes without a terminal: the target\'s name, repeated' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from reset-sessions" -l incident -d 'Incident id recorded with the change in the audit log' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from reset-sessions" -l wait-timeout -d 'How long to wait for the change to complete' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from reset-sessions" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from reset-sessions" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from reset-sessions" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from reset-sessions" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from reset-sessions" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from reset-sessions" -l dry-run -d 'Show the plan and validate it server-side; change nothing'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from reset-sessions" -s y -l yes -d 'Apply without asking (needed when there is no terminal)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from reset-sessions" -l wait -d 'Wait for the change to complete (the default where it applies)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from reset-sessions" -l no-wait -d 'Do not wait for the change to complete'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from reset-sessions" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from reset-sessions" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from reset-sessions" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from reset-sessions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from reset-sessions" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from log-level" -l confirm -d 'For the most destructive changes without a terminal: the target\'s name, repeated' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from log-level" -l incident -d 'Incident id recorded with the change in the audit log' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from log-level" -l wait-timeout -d 'How long to wait for the change to complete' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from log-level" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from log-level" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from log-level" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from log-level" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from log-level" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from log-level" -l dry-run -d 'Show the plan and validate it server-side; change nothing'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from log-level" -s y -l yes -d 'Apply without asking (needed when there is no terminal)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from log-level" -l wait -d 'Wait for the change to complete (the default where it applies)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from log-level" -l no-wait -d 'Do not wait for the change to complete'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from log-level" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from log-level" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from log-level" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from log-level" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from log-level" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from config" -l configmap -d 'The configmap to show (default: kubernetes.configmap, else the one the app\'s pods use)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from config" -l secret -d 'The secret to fingerprint (default: kubernetes.secret, else the one the app\'s pods use)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from config" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from config" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from config" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from config" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from config" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from config" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from config" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from config" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from config" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from config" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from help" -f -a "block-ip" -d 'Block an IP or CIDR in the app\'s NetworkPolicy, keeping every other rule (Runbook 5)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from help" -f -a "unblock-ip" -d 'Remove a blocked IP or CIDR from the NetworkPolicy\'s except lists (undoes block-ip)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from help" -f -a "reset-sessions" -d 'Delete sessions older than a limit, in one transaction (Runbook 5)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from help" -f -a "log-level" -d 'Set LOG_LEVEL on the backend deployment (Runbook 5)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from help" -f -a "config" -d 'Show the app\'s configmap, and its secret\'s keys with value fingerprints (never values)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand security; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and not __fish_seen_subcommand_from add list expire help" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and not __fish_seen_subcommand_from add list expire help" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and not __fish_seen_subcommand_from add list expire help" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and not __fish_seen_subcommand_from add list expire help" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and not __fish_seen_subcommand_from add list expire help" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and not __fish_seen_subcommand_from add list expire help" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and not __fish_seen_subcommand_from add list expire help" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and not __fish_seen_subcommand_from add list expire help" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and not __fish_seen_subcommand_from add list expire help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and not __fish_seen_subcommand_from add list expire help" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and not __fish_seen_subcommand_from add list expire help" -f -a "add" -d 'Silence the alerts matching every --matcher, for --duration'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and not __fish_seen_subcommand_from add list expire help" -f -a "list" -d 'List silences: active and pending (--all: expired too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and not __fish_seen_subcommand_from add list expire help" -f -a "expire" -d 'End a silence now'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and not __fish_seen_subcommand_from add list expire help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from add" -s m -l matcher -d 'A label matcher: NAME=VALUE, NAME!=VALUE, NAME=~REGEX or NAME!~REGEX (repeatable)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from add" -l duration -d 'How long the silence lasts' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from add" -l comment -d 'Why: shown to whoever finds the silence later' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from add" -l confirm -d 'For the most destructive changes without a terminal: the target\'s name, repeated' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from add" -l incident -d 'Incident id recorded with the change in the audit log' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from add" -l wait-timeout -d 'How long to wait for the change to complete' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from add" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from add" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from add" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from add" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from add" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from add" -l dry-run -d 'Show the plan and validate it server-side; change nothing'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from add" -s y -l yes -d 'Apply without asking (needed when there is no terminal)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from add" -l wait -d 'Wait for the change to complete (the default where it applies)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from add" -l no-wait -d 'Do not wait for the change to complete'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from add" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from add" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from list" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from list" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from list" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from list" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from list" -l all -d 'Expired silences too'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from list" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from expire" -l confirm -d 'For the most destructive changes without a terminal: the target\'s name, repeated' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from expire" -l incident -d 'Incident id recorded with the change in the audit log' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from expire" -l wait-timeout -d 'How long to wait for the change to complete' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from expire" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from expire" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from expire" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from expire" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from expire" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from expire" -l dry-run -d 'Show the plan and validate it server-side; change nothing'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from expire" -s y -l yes -d 'Apply without asking (needed when there is no terminal)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from expire" -l wait -d 'Wait for the change to complete (the default where it applies)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from expire" -l no-wait -d 'Do not wait for the change to complete'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from expire" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from expire" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from expire" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from expire" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from expire" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from help" -f -a "add" -d 'Silence the alerts matching every --matcher, for --duration'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from help" -f -a "list" -d 'List silences: active and pending (--all: expired too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from help" -f -a "expire" -d 'End a silence now'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand silence; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and not __fish_seen_subcommand_from new list show ack status severity assign log set follow-up render notify close help" -l store -d 'Incident store: a directory or a postgres:// URL' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and not __fish_seen_subcommand_from new list show ack status severity assign log set follow-up render notify close help" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and not __fish_seen_subcommand_from new list show ack status severity assign log set follow-up render notify close help" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and not __fish_seen_subcommand_from new list show ack status severity assign log set follow-up render notify close help" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and not __fish_seen_subcommand_from new list show ack status severity assign log set follow-up render notify close help" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and not __fish_seen_subcommand_from new list show ack status severity assign log set follow-up render notify close help" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and not __fish_seen_subcommand_from new list show ack status severity assign log set follow-up render notify close help" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and not __fish_seen_subcommand_from new list show ack status severity assign log set follow-up render notify close help" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and not __fish_seen_subcommand_from new list show ack status severity assign log set follow-up render notify close help" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and not __fish_seen_subcommand_from new list show ack status severity assign log set follow-up render notify close help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and not __fish_seen_subcommand_from new list show ack status severity assign log set follow-up render notify close help" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and not __fish_seen_subcommand_from new list show ack status severity assign log set follow-up render notify close help" -f -a "new" -d 'Open an incident; prints its id'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and not __fish_seen_subcommand_from new list show ack status severity assign log set follow-up render notify close help" -f -a "list" -d 'Incidents with severity, status, age, next update and escalation level'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and not __fish_seen_subcommand_from new list show ack status severity assign log set follow-up render notify close help" -f -a "show" -d 'One incident with its clocks and timeline'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and not __fish_seen_subcommand_from new list show ack status severity assign log set follow-up render notify close help" -f -a "ack" -d 'Acknowledge: stops the response-time clock'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and not __fish_seen_subcommand_from new list show ack status severity assign log set follow-up render notify close help" -f -a "status" -d 'Move the incident to a status'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and not __fish_seen_subcommand_from new list show ack status severity assign log set follow-up render notify close help" -f -a "severity" -d 'Change the severity (recorded in the timeline)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and not __fish_seen_subcommand_from new list show ack status severity assign log set follow-up render notify close help" -f -a "assign" -d 'Give a role to a person'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and not __fish_seen_subcommand_from new list show ack status severity assign log set follow-up render notify close help" -f -a "log" -d 'Add a timeline entry'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and not __fish_seen_subcommand_from new list show ack status severity assign log set follow-up render notify close help" -f -a "set" -d 'Fill in the report template\'s fields'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and not __fish_seen_subcommand_from new list show ack status severity assign log set follow-up render notify close help" -f -a "follow-up" -d 'Add a follow-up action (a checkbox in the report)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and not __fish_seen_subcommand_from new list show ack status severity assign log set follow-up render notify close help" -f -a "render" -d 'The post-mortem report: the seed\'s template, filled in'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and not __fish_seen_subcommand_from new list show ack status severity assign log set follow-up render notify close help" -f -a "notify" -d 'Post a status update to Slack (report.slack_webhook or SLACK_WEBHOOK_URL)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and not __fish_seen_subcommand_from new list show ack status severity assign log set follow-up render notify close help" -f -a "close" -d 'Close a resolved incident (root cause and resolution filled in, or --force --reason)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and not __fish_seen_subcommand_from new list show ack status severity assign log set follow-up render notify close help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from new" -l title -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from new" -l severity -d 'SEV1..SEV4 (or take diagnose\'s suggestion with --from-diagnose)' -r -f -a "SEV1\t''
SEV2\t''
SEV3\t''
SEV4\t''"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from new" -l commander -d 'Incident commander' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from new" -l detected-at -d 'When it was detected: RFC 3339, or \'15m ago\' (default: now)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from new" -l from-diagnose -d 'Take the severity from diagnose: run it now, or read a saved `diagnose -o json`' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from new" -l store -d 'Incident store: a directory or a postgres:// URL' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from new" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from new" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from new" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from new" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from new" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from new" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from new" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from new" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from new" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from new" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from list" -l store -d 'Incident store: a directory or a postgres:// URL' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from list" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from list" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from list" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from list" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from list" -l open -d 'Only incidents not yet resolved'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from list" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from show" -l store -d 'Incident store: a directory or a postgres:// URL' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from show" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from show" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from show" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from show" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from show" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from ack" -l store -d 'Incident store: a directory or a postgres:// URL' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from ack" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from ack" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from ack" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from ack" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from ack" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from ack" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from ack" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from ack" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from ack" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from ack" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from status" -l store -d 'Incident store: a directory or a postgres:// URL' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from status" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from status" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from status" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from status" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from status" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from status" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from status" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from severity" -l reason -d 'Why' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from severity" -l store -d 'Incident store: a directory or a postgres:// URL' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from severity" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from severity" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from severity" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from severity" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from severity" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from severity" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from severity" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from severity" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from severity" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from severity" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from assign" -l store -d 'Incident store: a directory or a postgres:// URL' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from assign" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from assign" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from assign" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from assign" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from assign" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from assign" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from assign" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from assign" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from assign" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from assign" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from log" -l at -d 'When it happened: RFC 3339, or \'10m ago\' (default: now)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from log" -l store -d 'Incident store: a directory or a postgres:// URL' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from log" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from log" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from log" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from log" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from log" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from log" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from log" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from log" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from log" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from log" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from set" -l summary -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from set" -l impact -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from set" -l users-affected -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from set" -l services -d 'Comma-separated' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from set" -l root-cause -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from set" -l resolution -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from set" -l lessons -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from set" -l store -d 'Incident store: a directory or a postgres:// URL' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from set" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from set" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from set" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from set" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from set" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from set" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from set" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from follow-up" -l store -d 'Incident store: a directory or a postgres:// URL' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from follow-up" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from follow-up" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from follow-up" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from follow-up" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from follow-up" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from follow-up" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from follow-up" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from follow-up" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from follow-up" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from follow-up" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from render" -l store -d 'Incident store: a directory or a postgres:// URL' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from render" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from render" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from render" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from render" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from render" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from render" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from render" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from render" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from render" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from render" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from notify" -l store -d 'Incident store: a directory or a postgres:// URL' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from notify" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from notify" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from notify" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from notify" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from notify" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from notify" -l dry-run -d 'Print the message; post nothing, record nothing'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from notify" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from notify" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from notify" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from notify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from notify" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from close" -l reason -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from close" -l store -d 'Incident store: a directory or a postgres:// URL' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from close" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from close" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from close" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from close" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from close" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from close" -l force
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from close" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from close" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from close" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from close" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from close" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "new" -d 'Open an incident; prints its id'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "list" -d 'Incidents with severity, status, age, next update and escalation level'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "show" -d 'One incident with its clocks and timeline'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "ack" -d 'Acknowledge: stops the response-time clock'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "status" -d 'Move the incident to a status'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "severity" -d 'Change the severity (recorded in the timeline)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "assign" -d 'Give a role to a person'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "log" -d 'Add a timeline entry'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "set" -d 'Fill in the report template\'s fields'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "follow-up" -d 'Add a follow-up action (a checkbox in the report)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "render" -d 'The post-mortem report: the seed\'s template, filled in'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "notify" -d 'Post a status update to Slack (report.slack_webhook or SLACK_WEBHOOK_URL)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "close" -d 'Close a resolved incident (root cause and resolution filled in, or --force --reason)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand doctor" -l deployment -d 'An app deployment (repeat for several)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand doctor" -l ingress -d 'The app\'s ingress' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand doctor" -l configmap -d 'The app\'s configmap' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand doctor" -l secret -d 'The app\'s secret (its keys only are ever read out)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand doctor" -l policy -d 'The app\'s network policy' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand doctor" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand doctor" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand doctor" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand doctor" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand doctor" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand doctor" -l send-test -d 'Post a test message to the Slack webhook'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand doctor" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand doctor" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand doctor" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand config; and not __fish_seen_subcommand_from show help" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand config; and not __fish_seen_subcommand_from show help" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand config; and not __fish_seen_subcommand_from show help" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand config; and not __fish_seen_subcommand_from show help" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand config; and not __fish_seen_subcommand_from show help" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand config; and not __fish_seen_subcommand_from show help" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand config; and not __fish_seen_subcommand_from show help" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand config; and not __fish_seen_subcommand_from show help" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand config; and not __fish_seen_subcommand_from show help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand config; and not __fish_seen_subcommand_from show help" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand config; and not __fish_seen_subcommand_from show help" -f -a "show" -d 'Print the resolved settings (file, environment and flags merged), secrets redacted'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand config; and not __fish_seen_subcommand_from show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand config; and __fish_seen_subcommand_from show" -l deployment -d 'An app deployment (repeat for several)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand config; and __fish_seen_subcommand_from show" -l ingress -d 'The app\'s ingress' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand config; and __fish_seen_subcommand_from show" -l configmap -d 'The app\'s configmap' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand config; and __fish_seen_subcommand_from show" -l secret -d 'The app\'s secret (its keys only are ever read out)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand config; and __fish_seen_subcommand_from show" -l policy -d 'The app\'s network policy' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand config; and __fish_seen_subcommand_from show" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand config; and __fish_seen_subcommand_from show" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand config; and __fish_seen_subcommand_from show" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand config; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand config; and __fish_seen_subcommand_from show" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand config; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand config; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand config; and __fish_seen_subcommand_from show" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand config; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print the resolved settings (file, environment and flags merged), secrets redacted'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand completion" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand completion" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand completion" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand completion" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand completion" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand completion" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand completion" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand completion" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand completion" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand completion" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand generate-docs" -l config -d 'Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml' -r -F
complete -c incidentctl -n "__fish_incidentctl_using_subcommand generate-docs" -l context -d 'Kubernetes context from the kubeconfig (default: its current context); diagnose takes it more than once to check several clusters' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand generate-docs" -s n -l namespace -d 'Namespace of the application (default: reconciliation)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand generate-docs" -s o -l output -d 'Output format' -r -f -a "table\t'One row per check, for people'
json\t'One JSON document (schema incidentctl.diagnose/v1), for scripts'
markdown\t'Markdown to paste into an incident channel or report'
junit\t'JUnit XML, one testcase per check (diagnose; failures per --fail-on)'
prometheus\t'Prometheus text exposition, for node_exporter\'s textfile collector or a Pushgateway (diagnose)'
nagios\t'One Nagios plugin line with perfdata (diagnose)'"
complete -c incidentctl -n "__fish_incidentctl_using_subcommand generate-docs" -l timeout -d 'Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)' -r
complete -c incidentctl -n "__fish_incidentctl_using_subcommand generate-docs" -s q -l quiet -d 'Print only the results: no progress, hints or notes on stderr'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand generate-docs" -s v -l verbose -d 'Show every piece of evidence and where settings came from'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand generate-docs" -l no-color -d 'Never colour the output (NO_COLOR is honoured too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand generate-docs" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand generate-docs" -s V -l version -d 'Print version'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and not __fish_seen_subcommand_from diagnose restart scale rollback db cache security silence report doctor config completion generate-docs help" -f -a "diagnose" -d 'Run every runbook\'s investigation steps at once and suggest a severity'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and not __fish_seen_subcommand_from diagnose restart scale rollback db cache security silence report doctor config completion generate-docs help" -f -a "restart" -d 'Rolling restart of app deployments (kubectl rollout restart), then wait for the rollout'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and not __fish_seen_subcommand_from diagnose restart scale rollback db cache security silence report doctor config completion generate-docs help" -f -a "scale" -d 'Set a deployment\'s replica count (kubectl scale), then wait for the replicas to be ready'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and not __fish_seen_subcommand_from diagnose restart scale rollback db cache security silence report doctor config completion generate-docs help" -f -a "rollback" -d 'Return a deployment to an earlier revision\'s pod template (kubectl rollout undo), then wait'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and not __fish_seen_subcommand_from diagnose restart scale rollback db cache security silence report doctor config completion generate-docs help" -f -a "db" -d 'Database resolution steps: kill long queries, pool size, analyze, reindex, restart'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and not __fish_seen_subcommand_from diagnose restart scale rollback db cache security silence report doctor config completion generate-docs help" -f -a "cache" -d 'Cache resolution steps: flush keys, a database, or everything'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and not __fish_seen_subcommand_from diagnose restart scale rollback db cache security silence report doctor config completion generate-docs help" -f -a "security" -d 'Security resolution steps: block IPs, reset sessions, log level, inspect config safely'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and not __fish_seen_subcommand_from diagnose restart scale rollback db cache security silence report doctor config completion generate-docs help" -f -a "silence" -d 'Alertmanager silences: add, list, expire (make the pager stop while you work)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and not __fish_seen_subcommand_from diagnose restart scale rollback db cache security silence report doctor config completion generate-docs help" -f -a "report" -d 'The incident itself: severity, timeline, clocks, Slack updates and the post-mortem report'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and not __fish_seen_subcommand_from diagnose restart scale rollback db cache security silence report doctor config completion generate-docs help" -f -a "doctor" -d 'Check the set-up before the incident: reachability, credentials, privileges, webhook'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and not __fish_seen_subcommand_from diagnose restart scale rollback db cache security silence report doctor config completion generate-docs help" -f -a "config" -d 'Inspect incidentctl\'s own configuration'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and not __fish_seen_subcommand_from diagnose restart scale rollback db cache security silence report doctor config completion generate-docs help" -f -a "completion" -d 'Print a shell completion script'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and not __fish_seen_subcommand_from diagnose restart scale rollback db cache security silence report doctor config completion generate-docs help" -f -a "generate-docs" -d 'Write the man pages and completion scripts into a directory (for packagers)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and not __fish_seen_subcommand_from diagnose restart scale rollback db cache security silence report doctor config completion generate-docs help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and __fish_seen_subcommand_from diagnose" -f -a "diff" -d 'Compare two runs saved by `diagnose -o json`: what is new, worse, better, resolved'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "kill-queries" -d 'End active client queries running longer than a limit (Runbook 2)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "pool-size" -d 'Set DB_POOL_SIZE on the backend deployment (Runbook 2)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "analyze" -d 'Refresh planner statistics: ANALYZE (Runbook 4)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "reindex" -d 'Rebuild indexes: REINDEX (Runbook 4)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "restart" -d 'Rolling restart of the database workload (Runbook 2)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and __fish_seen_subcommand_from cache" -f -a "flush" -d 'Delete cached keys: matching a pattern, one database, or everything (Runbook 4)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and __fish_seen_subcommand_from security" -f -a "block-ip" -d 'Block an IP or CIDR in the app\'s NetworkPolicy, keeping every other rule (Runbook 5)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and __fish_seen_subcommand_from security" -f -a "unblock-ip" -d 'Remove a blocked IP or CIDR from the NetworkPolicy\'s except lists (undoes block-ip)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and __fish_seen_subcommand_from security" -f -a "reset-sessions" -d 'Delete sessions older than a limit, in one transaction (Runbook 5)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and __fish_seen_subcommand_from security" -f -a "log-level" -d 'Set LOG_LEVEL on the backend deployment (Runbook 5)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and __fish_seen_subcommand_from security" -f -a "config" -d 'Show the app\'s configmap, and its secret\'s keys with value fingerprints (never values)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and __fish_seen_subcommand_from silence" -f -a "add" -d 'Silence the alerts matching every --matcher, for --duration'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and __fish_seen_subcommand_from silence" -f -a "list" -d 'List silences: active and pending (--all: expired too)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and __fish_seen_subcommand_from silence" -f -a "expire" -d 'End a silence now'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and __fish_seen_subcommand_from report" -f -a "new" -d 'Open an incident; prints its id'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and __fish_seen_subcommand_from report" -f -a "list" -d 'Incidents with severity, status, age, next update and escalation level'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and __fish_seen_subcommand_from report" -f -a "show" -d 'One incident with its clocks and timeline'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and __fish_seen_subcommand_from report" -f -a "ack" -d 'Acknowledge: stops the response-time clock'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and __fish_seen_subcommand_from report" -f -a "status" -d 'Move the incident to a status'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and __fish_seen_subcommand_from report" -f -a "severity" -d 'Change the severity (recorded in the timeline)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and __fish_seen_subcommand_from report" -f -a "assign" -d 'Give a role to a person'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and __fish_seen_subcommand_from report" -f -a "log" -d 'Add a timeline entry'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and __fish_seen_subcommand_from report" -f -a "set" -d 'Fill in the report template\'s fields'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and __fish_seen_subcommand_from report" -f -a "follow-up" -d 'Add a follow-up action (a checkbox in the report)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and __fish_seen_subcommand_from report" -f -a "render" -d 'The post-mortem report: the seed\'s template, filled in'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and __fish_seen_subcommand_from report" -f -a "notify" -d 'Post a status update to Slack (report.slack_webhook or SLACK_WEBHOOK_URL)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and __fish_seen_subcommand_from report" -f -a "close" -d 'Close a resolved incident (root cause and resolution filled in, or --force --reason)'
complete -c incidentctl -n "__fish_incidentctl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "show" -d 'Print the resolved settings (file, environment and flags merged), secrets redacted'
