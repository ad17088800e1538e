//! Alertmanager's v2 API (v1 answers 410 since 0.27), the only code that speaks it: the alerts
//! firing, the silences, creating and expiring one, and the status page doctor asks. Failures
//! are typed from the status code (and reqwest's error kinds), never from the answer's words.

use crate::clients::http::{body_text, http_error, refused_credentials};
use crate::clients::Context;
use crate::output::redact;
use crate::types::failure::{of_http_status, Cause};
use crate::types::CheckError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where to look when the API is not there.
const API_HINT: &str = "check alertmanager.url points at Alertmanager 0.16+ (API v2)";

/// One alert as the v2 API lists it.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Alert {
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
    /// RFC 3339, as Alertmanager wrote it.
    #[serde(default)]
    pub starts_at: String,
}

/// One matcher, as the v2 API takes it: `name=value`, `name!=value`, `name=~regex`,
/// `name!~regex`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Matcher {
    pub name: String,
    pub value: String,
    pub is_regex: bool,
    #[serde(default = "yes")]
    pub is_equal: bool,
}

fn yes() -> bool {
    true
}

impl std::fmt::Display for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}{:?}", self.name, self.op(), self.value)
    }
}

impl Matcher {
    /// The matcher as `--matcher` takes it: `name=value`, `name=~regex` (value unquoted).
    pub fn as_argument(&self) -> String {
        format!("{}{}{}", self.name, self.op(), self.value)
    }

    fn op(&self) -> &'static str {
        match (self.is_equal, self.is_regex) {
            (true, false) => "=",
            (false, false) => "!=",
            (true, true) => "=~",
            (false, true) => "!~",
        }
    }

    /// Whether an alert's labels satisfy this matcher (a missing label is the empty string, as
    /// in Alertmanager). Regexes are anchored, as Alertmanager anchors them.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let value = labels.get(&self.name).map_or("", String::as_str);
        let hit = if self.is_regex {
            regex::Regex::new(&format!("^(?:{})$", self.value)).is_ok_and(|re| re.is_match(value))
        } else {
            value == self.value
        };
        hit == self.is_equal
    }
}

/// A silence as the API lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Silence {
    pub id: String,
    pub matchers: Vec<Matcher>,
    pub starts_at: String,
    pub ends_at: String,
    #[serde(default)]
    pub created_by: String,
    #[serde(default)]
    pub comment: String,
    pub status: SilenceStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SilenceStatus {
    /// active, pending or expired.
    pub state: String,
}

impl Silence {
    pub fn matchers_text(&self) -> String {
        self.matchers
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A silence to create (times in RFC 3339).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewSilence {
    pub matchers: Vec<Matcher>,
    pub starts_at: String,
    pub ends_at: String,
    pub created_by: String,
    pub comment: String,
}

/// What Alertmanager's silence ids are made of (UUIDs): letters, digits and '-'.
pub fn is_silence_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && safe_id(id) == id
}

/// The id with anything but letters, digits and '-' dropped, so an id can never change the
/// path it is put in.
fn safe_id(id: &str) -> String {
    id.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

/// The v2 API of the configured Alertmanager, with its TLS files and credentials.
#[derive(Clone)]
pub struct Alertmanager {
    http: reqwest::Client,
    base: String,
    /// The URL as shown: credentials redacted.
    shown: String,
}

impl Alertmanager {
    pub async fn of(ctx: &Context) -> Result<Alertmanager, CheckError> {
        let http = ctx.alertmanager_http().await?;
        let url = &ctx.settings.alertmanager.url;
        Ok(Alertmanager {
            http,
            base: url.expose().trim_end_matches('/').to_string(),
            shown: url.redacted(),
        })
    }

    /// The server's address as shown in messages (credentials redacted).
    pub fn shown(&self) -> &str {
        &self.shown
    }

    fn url(&self, path: &str) -> String {
        format!("{}/api/v2/{path}", self.base)
    }

    /// Sends a request; a non-success answer is an error typed by its status code.
    async fn send(&self, request: reqwest::RequestBuilder) -> Result<String, CheckError> {
        let where_ = &self.shown;
        let response = request
            .send()
            .await
            .map_err(|e| http_error(e, where_, "alertmanager"))?;
        let code = response.status();
        refused_credentials(code, where_, "alertmanager")?;
        let body = body_text(response, where_, "alertmanager").await?;
        if !code.is_success() {
            let err = CheckError::remote(
                of_http_status(code.as_u16()),
                format!(
                    "{where_}: HTTP {code}: {}",
                    redact::truncate(&redact::secrets(body.trim()), 200)
                ),
            );
            // No such path: not Alertmanager's v2 API, or an older one.
            return Err(match code.as_u16() {
                404 | 405 | 410 => err.hint(API_HINT),
                _ => err,
            });
        }
        Ok(body)
    }

    fn parse<T: serde::de::DeserializeOwned>(&self, body: &str) -> Result<T, CheckError> {
        serde_json::from_str(body).map_err(|_| {
            CheckError::remote(
                Cause::NotTheProtocol,
                format!(
                    "{}: not an Alertmanager v2 answer: {}",
                    self.shown,
                    redact::truncate(&redact::secrets(body.trim()), 120)
                ),
            )
            .hint(API_HINT)
        })
    }

    async fn alerts(&self, query: &[(&str, &str)]) -> Result<Vec<Alert>, CheckError> {
        let body = self
            .send(self.http.get(self.url("alerts")).query(query))
            .await?;
        self.parse(&body)
    }

    /// The alerts firing now that reach a receiver: active, neither silenced nor inhibited.
    pub async fn firing(&self) -> Result<Vec<Alert>, CheckError> {
        self.alerts(&[
            ("active", "true"),
            ("silenced", "false"),
            ("inhibited", "false"),
        ])
        .await
    }

    /// The alerts firing now that no silence covers (inhibited ones too): what a new silence
    /// would silence.
    pub async fn unsilenced(&self) -> Result<Vec<Alert>, CheckError> {
        self.alerts(&[("active", "true"), ("silenced", "false")])
            .await
    }

    /// Every silence Alertmanager keeps, expired ones included.
    pub async fn silences(&self) -> Result<Vec<Silence>, CheckError> {
        let body = self.send(self.http.get(self.url("silences"))).await?;
        self.parse(&body)
    }

    /// One silence by its id.
    pub async fn silence(&self, id: &str) -> Result<Silence, CheckError> {
        let path = format!("silence/{}", safe_id(id));
        let body = self.send(self.http.get(self.url(&path))).await?;
        self.parse(&body)
    }

    /// Creates a silence; returns the id Alertmanager gave it (not checked: see
    /// [`is_silence_id`]).
    pub async fn create(&self, silence: &NewSilence) -> Result<String, CheckError> {
        #[derive(Deserialize)]
        struct Created {
            #[serde(rename = "silenceID")]
            silence_id: String,
        }
        let body = self
            .send(self.http.post(self.url("silences")).json(silence))
            .await?;
        let created: Created = self.parse(&body)?;
        Ok(created.silence_id)
    }

    /// Expires a silence now.
    pub async fn expire(&self, id: &str) -> Result<(), CheckError> {
        let path = format!("silence/{}", safe_id(id));
        self.send(self.http.delete(self.url(&path))).await?;
        Ok(())
    }

    /// Whether the API answers (its status page), with these credentials.
    pub async fn status(&self) -> Result<(), CheckError> {
        self.send(self.http.get(self.url("status"))).await?;
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests;
