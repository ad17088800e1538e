//! Which secrets a config file actually sets: judged on its parsed, typed values (a URL with a
//! password, an inline token or password, a webhook), never on key names or comments, so a
//! Kubernetes Secret's *name* (`secret = "reconciliation-secrets"`) or a commented-out
//! `# slack_webhook = …` is not one.

use super::sections::{FileSettings, HttpAuth};
use super::SecretUrl;

/// The keys of `file` whose values are secrets that are set, in the file's order of sections.
pub(super) fn secrets_set(file: &FileSettings) -> Vec<String> {
    let mut keys = Vec::new();
    let mut url = |key: &str, url: &SecretUrl| {
        if url.has_password() {
            keys.push(format!("{key} (a password in the URL)"));
        }
    };
    url("postgres.url", &file.postgres.url);
    url("redis.url", &file.redis.url);
    url("prometheus.url", &file.prometheus.url);
    url("alertmanager.url", &file.alertmanager.url);
    for (i, check) in file.checks.iter().enumerate() {
        if let Some(u) = &check.url {
            url(&format!("check[{i}].url"), u);
        }
    }
    auth(&mut keys, "prometheus.auth", &file.prometheus.auth);
    auth(&mut keys, "alertmanager.auth", &file.alertmanager.auth);
    if let Some(store) = &file.report.store {
        if SecretUrl::new(store.as_str()).has_password() {
            keys.push("report.store (a password in the URL)".into());
        }
    }
    if file.report.slack_webhook.is_some() {
        keys.push("report.slack_webhook".into());
    }
    keys
}

fn auth(keys: &mut Vec<String>, table: &str, auth: &HttpAuth) {
    if auth.bearer_token.is_some() {
        keys.push(format!("{table}.bearer_token"));
    }
    if auth.password.is_some() {
        keys.push(format!("{table}.password"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(text: &str) -> Vec<String> {
        let file = super::super::file::parse_file_settings("test.toml", text).expect("parses");
        secrets_set(&file)
    }

    #[test]
    fn names_and_comments_are_not_secrets() {
        // configuration.md's example and examples/incidentctl.toml hold these and no credential.
        let text = "[kubernetes]\nsecret = \"reconciliation-secrets\"\n\n[report]\nstore = \"postgres://incidents@db.internal/incidentctl\"\n# slack_webhook = \"https://hooks.slack.com/services/T000/B000/XXXXXXXX\"\n# password = \"hunter2\"\n\n[postgres]\nurl = \"postgres://reconciliation_user@postgres-service:5432/reconciliation_app\"\npassword_file = \"/run/secrets/pg-password\"\n";
        assert_eq!(set(text), Vec::<String>::new());
    }

    #[test]
    fn a_password_a_token_or_a_webhook_set_is_a_secret() {
        let text = "[postgres]\nurl = \"postgres://u:hunter2@db/app\"\n\n[prometheus.auth]\nbearer_token = \"abc\"\n\n[alertmanager.auth]\nusername = \"oncall\"\npassword = \"pw\"\n\n[report]\nstore = \"postgres://incidents:pw@db/incidentctl\"\nslack_webhook = \"https://hooks.slack.com/services/T000/B000/XXXXXXXX\"\n";
        assert_eq!(
            set(text),
            [
                "postgres.url (a password in the URL)",
                "prometheus.auth.bearer_token",
                "alertmanager.auth.password",
                "report.store (a password in the URL)",
                "report.slack_webhook",
            ]
        );
        let check = "[[check]]\nid = \"payments.health\"\nrunbooks = [\"app-down\"]\nkind = \"http\"\nurl = \"https://probe:pw@payments.internal/health\"\nwarning = 500\ncritical = 2000\n";
        assert_eq!(set(check), ["check[0].url (a password in the URL)"]);
    }
}
