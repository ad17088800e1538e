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

    assert!(!settings.timeout.0.is_zero(), "a zero timeout was accepted");
    let t = &settings.thresholds;
    for th in [
        t.error_rate,
        t.latency_p95,
        t.cpu,
        t.memory,
        t.disk,
        t.postgres_connections,
        t.redis_memory,
        t.forbidden_rate,
        t.slow_query_mean,
        t.replication_lag,
        t.log_errors,
        t.auth_failures,
        t.audit_failures,
    ] {
        assert!(th.warning.is_finite() && th.critical.is_finite() && th.warning >= 0.0);
        assert!(
            th.warning <= th.critical,
            "warning above critical was accepted"
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
