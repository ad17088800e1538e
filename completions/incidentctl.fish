complete --keep-order --exclusive --command incidentctl --arguments "(COMPLETE=fish incidentctl -- (commandline --current-process --tokenize --cut-at-cursor) (commandline --current-token))"
