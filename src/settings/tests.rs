//! Settings resolved from files, environments and flags made up here.

use super::*;
use std::collections::HashMap;

struct MapEnv(HashMap<&'static str, String>);
impl Env for MapEnv {
    fn var(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
}

fn args() -> Overrides {
    Overrides::default()
}

use proptest::prelude::*;

proptest! {
    #[test]
    fn url_passwords_never_survive_redaction(password in "[A-Za-z0-9]{6,30}") {
        let url = format!("postgres://user:{password}@db.internal:5432/app");
        prop_assert!(!redact_url(&url).contains(&password));
        let message = crate::output::redact::secrets(&format!("connecting to {url} failed"));
        prop_assert!(!message.contains(&password));
    }

    #[test]
    fn any_text_as_a_url_is_redacted_without_panic(text in ".{0,80}") {
        let _ = redact_url(&text);
        let _ = validate_url(&text);
    }

    #[test]
    fn config_files_with_any_thresholds_resolve_or_name_the_key(w in -1e3f64..1e3, c in -1e3f64..1e3, t in ".{0,12}") {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.toml");
        std::fs::write(&file, format!("timeout = {t:?}\n[thresholds.cpu]\nwarning = {w}\ncritical = {c}\n")).unwrap();
        let mut a = args();
        a.config = Some(file);
        match Settings::resolve(&a, &MapEnv(HashMap::new()), false) {
            Ok(s) => {
                let cpu = s.thresholds.0["cpu"];
                prop_assert!(cpu.warning <= cpu.critical);
                prop_assert!(!s.timeout.0.is_zero());
            }
            Err(e) => prop_assert!(matches!(e.exit_code(), crate::error::ExitCode::Config | crate::error::ExitCode::Usage), "{e}"),
        }
    }
}

#[test]
fn env_overrides_file_and_flag_overrides_env() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.toml");
    std::fs::write(
        &file,
        "namespace = \"from-file\"\n[redis]\nurl = \"redis://file:6379\"\n",
    )
    .unwrap();
    let env = MapEnv(HashMap::from([(
        "INCIDENTCTL_REDIS_URL",
        "redis://env:6379".to_string(),
    )]));
    let mut a = args();
    a.config = Some(file);
    let s = Settings::resolve(&a, &env, false).unwrap();
    assert_eq!(s.namespace, "from-file");
    assert_eq!(s.redis.url.expose(), "redis://env:6379");
    a.namespace = Some("from-flag".into());
    let s = Settings::resolve(&a, &env, false).unwrap();
    assert_eq!(s.namespace, "from-flag");
}

#[test]
fn unknown_config_key_names_the_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.toml");
    std::fs::write(&file, "\n[postgres]\nurll = \"x\"\n").unwrap();
    let mut a = args();
    a.config = Some(file);
    let err = Settings::resolve(&a, &MapEnv(HashMap::new()), false).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("urll"), "{text}");
    assert!(text.contains("line 3"), "{text}");
    assert_eq!(err.exit_code(), crate::error::ExitCode::Config);
}

#[test]
fn threshold_with_warning_above_critical_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.toml");
    std::fs::write(&file, "[thresholds.cpu]\nwarning = 99.0\ncritical = 90.0\n").unwrap();
    let mut a = args();
    a.config = Some(file);
    let err = Settings::resolve(&a, &MapEnv(HashMap::new()), false).unwrap_err();
    assert!(err.to_string().starts_with("thresholds.cpu:"), "{err}");
}

#[test]
fn bad_env_url_names_the_variable_and_hides_the_password() {
    let env = MapEnv(HashMap::from([(
        "INCIDENTCTL_POSTGRES_URL",
        "postgres://u:hunter2@".to_string(),
    )]));
    let err = Settings::resolve(&args(), &env, false).unwrap_err();
    let text = err.to_string();
    assert!(text.starts_with("INCIDENTCTL_POSTGRES_URL:"), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
}

#[test]
fn urls_are_redacted_in_display_and_debug() {
    let u = SecretUrl::new("postgres://user:s3cret@db:5432/app?password=x&sslmode=require");
    assert!(!format!("{u} {u:?}").contains("s3cret"));
    assert!(!u.redacted().contains("password=x"));
    assert!(u.redacted().contains("sslmode=require"));
}

#[test]
fn pgpassword_is_used_only_when_the_url_has_none() {
    let env = MapEnv(HashMap::from([("PGPASSWORD", "pw".to_string())]));
    let s = Settings::resolve(&args(), &env, false).unwrap();
    assert_eq!(s.postgres.password.as_ref().map(Secret::expose), Some("pw"));
    let env = MapEnv(HashMap::from([
        ("PGPASSWORD", "pw".to_string()),
        (
            "INCIDENTCTL_POSTGRES_URL",
            "postgres://u:inurl@h/db".to_string(),
        ),
    ]));
    let s = Settings::resolve(&args(), &env, false).unwrap();
    assert!(s.postgres.password.is_none());
}
