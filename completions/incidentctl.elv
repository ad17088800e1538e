
set edit:completion:arg-completer[incidentctl] = { |@words|
    var index = (count $words)
    set index = (- $index 1)

    put (env _CLAP_IFS="\n" _CLAP_COMPLETE_INDEX=(to-string $index) INCIDENTCTL_COMPLETE="elvish" incidentctl -- $@words) | to-lines
}

