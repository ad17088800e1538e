//! The config file (incidentctl.toml): its text goes through the same parsing and validation as
//! the real file (`Settings::from_config_text`). No input may panic; a file that is accepted must
//! satisfy what validation promises, and `config show` must render it with every URL redacted.
#![no_main]

use incidentctl::settings::Settings;
use incidentctl_fuzz::assert_url_redacted;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // incidentctl reads the file with read_to_string: text that is not UTF-8 never reaches the
    // parser.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(settings) = Settings::from_config_text(text) else {
        return;
    };

    // What main checks next, before anything runs (neither makes a declared check a `Check`,
    // which lives for the whole process).
    if incidentctl::checks::validate_declared(&settings).is_err()
        || incidentctl::checks::validate_thresholds(&settings).is_err()
    {
        return;
    }

    assert!(!settings.timeout.0.is_zero(), "a zero timeout was accepted");
    // Every level a check judges by, configured or default.
    let levels = incidentctl::checks::effective_thresholds(&settings);
    for th in levels.0.values().chain(settings.thresholds.0.values()) {
        assert!(th.warning.is_finite() && th.critical.is_finite() && th.warning >= 0.0);
        assert!(
            th.warning <= th.critical,
            "warning above critical was accepted"
        );
    }
    for def in &settings.checks {
        assert!(
            def.warning.is_finite() && def.critical.is_finite(),
            "a declared check with a level that is not a number was accepted"
        );
    }
    assert!(
        settings.actions.scale_min >= 0 && settings.actions.scale_min <= settings.actions.scale_max
    );
    assert!(!settings.kubernetes.deployments.is_empty());

    for url in [
        &settings.postgres.url,
        &settings.redis.url,
        &settings.prometheus.url,
        &settings.alertmanager.url,
    ] {
        assert_url_redacted(url.expose());
    }

    // `config show -o json`: an accepted file must render, not fail with an internal error. (The
    // TOML rendering is left out: it took more than half of every execution, for the same
    // serde data.)
    incidentctl::output::json::to_string(&settings)
        .expect("config show -o json renders accepted settings");
});
