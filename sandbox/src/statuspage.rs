//! A stand-in for Atlassian Statuspage's REST API (v1), which cannot be reached from here: the
//! calls incidentctl makes, checked as the documented API checks them. `Authorization: OAuth
//! KEY` (else 401); `GET /v1/pages/{page}`; `POST /v1/pages/{page}/incidents` with
//! `{"incident": {"name", "status", "body", "impact_override", …}}` (201 with the incident, its
//! `id` included; 422 when invalid); `PATCH /v1/pages/{page}/incidents/{id}` (200; 404 for an
//! unknown id); and, when a test scripts it, 429 with Retry-After. It also takes a generic
//! webhook's JSON at `POST /webhook`. It is a stand-in: no page is shown, nobody subscribed
//! is notified.

use crate::http_standin::{self, Reply, Request, Scripted, Server};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

pub const PAGE_ID: &str = "kctbh9vrtdwd";

pub struct StatuspageStandIn {
    server: Server,
    incidents: Arc<Mutex<BTreeMap<String, Value>>>,
}

impl StatuspageStandIn {
    /// The API's base URL (`notify.statuspage.api_url`).
    pub fn api_url(&self) -> String {
        format!("http://{}/v1", self.server.addr)
    }

    /// A generic webhook's URL on the same server.
    pub fn webhook_url(&self) -> String {
        format!("http://{}/webhook", self.server.addr)
    }

    pub fn then(&self, answer: Scripted) {
        self.server.then(answer)
    }

    pub fn requests(&self) -> Vec<Value> {
        self.server.requests()
    }

    /// The incidents on the page, by id.
    pub fn incidents(&self) -> BTreeMap<String, Value> {
        self.incidents
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

const STATUSES: [&str; 4] = ["investigating", "identified", "monitoring", "resolved"];
const IMPACTS: [&str; 4] = ["none", "minor", "major", "critical"];

/// What the API would refuse in an incident's fields (`creating`: a name is required).
pub fn problems(body: &Value, creating: bool) -> Vec<String> {
    let Some(i) = body.get("incident").and_then(Value::as_object) else {
        return vec!["incident is missing".into()];
    };
    let mut errors = Vec::new();
    match i.get("name") {
        None if creating => errors.push("Name can't be blank".into()),
        Some(n) if n.as_str().is_none_or(|s| s.trim().is_empty()) => {
            errors.push("Name can't be blank".into())
        }
        _ => {}
    }
    if let Some(s) = i.get("status") {
        if !s.as_str().is_some_and(|s| STATUSES.contains(&s)) {
            errors.push(format!("Status is not included in the list ({s})"));
        }
    }
    if let Some(s) = i.get("impact_override") {
        if !s.as_str().is_some_and(|s| IMPACTS.contains(&s)) {
            errors.push(format!("Impact override is not included in the list ({s})"));
        }
    }
    if i.get("body").is_some_and(|b| !b.is_string()) {
        errors.push("Body must be a string".into());
    }
    errors
}

struct Api {
    key: String,
    incidents: Arc<Mutex<BTreeMap<String, Value>>>,
}

impl Api {
    fn handle(&self, r: &Request) -> Reply {
        if r.path == "/webhook" && r.method == "POST" {
            return match serde_json::from_slice::<Value>(&r.body) {
                Ok(_) => Reply::json(200, json!({"ok": true})),
                Err(_) => Reply::json(400, json!({"error": "not JSON"})),
            };
        }
        if r.header("authorization") != Some(&format!("OAuth {}", self.key)) {
            return Reply::json(401, json!({"error": "Could not authenticate"}));
        }
        let parts: Vec<&str> = r.path.trim_matches('/').split('/').collect();
        match (r.method.as_str(), parts.as_slice()) {
            ("GET", ["v1", "pages", page]) if *page == PAGE_ID => Reply::json(
                200,
                json!({"id": PAGE_ID, "name": "Reconciliation Platform"}),
            ),
            ("POST", ["v1", "pages", page, "incidents"]) if *page == PAGE_ID => self.create(r),
            ("PATCH", ["v1", "pages", page, "incidents", id]) if *page == PAGE_ID => {
                self.update(r, id)
            }
            _ => Reply::json(
                404,
                json!({"error": "The requested resource could not be found."}),
            ),
        }
    }

    fn body(r: &Request, creating: bool) -> Result<Value, Reply> {
        let body: Value = serde_json::from_slice(&r.body)
            .map_err(|_| Reply::json(400, json!({"error": "malformed JSON"})))?;
        let errors = problems(&body, creating);
        if errors.is_empty() {
            Ok(body)
        } else {
            Err(Reply::json(422, json!({"error": errors})))
        }
    }

    fn create(&self, r: &Request) -> Reply {
        let body = match Self::body(r, true) {
            Ok(b) => b,
            Err(reply) => return reply,
        };
        let mut incidents = self.incidents.lock().unwrap_or_else(|e| e.into_inner());
        let id = format!("sp{:010}", incidents.len() + 1);
        let i = &body["incident"];
        let now = jiff::Timestamp::now().to_string();
        let incident = json!({
            "id": id, "page_id": PAGE_ID, "name": i["name"],
            "status": i.get("status").cloned().unwrap_or(json!("investigating")),
            "impact": i.get("impact_override").cloned().unwrap_or(json!("none")),
            "shortlink": format!("https://stspg.io/{id}"),
            "created_at": now, "updated_at": now,
            "incident_updates": [{"status": i.get("status").cloned().unwrap_or(json!("investigating")),
                "body": i.get("body").cloned().unwrap_or(json!("")), "created_at": now}],
        });
        incidents.insert(id, incident.clone());
        Reply::json(201, incident)
    }

    fn update(&self, r: &Request, id: &str) -> Reply {
        let body = match Self::body(r, false) {
            Ok(b) => b,
            Err(reply) => return reply,
        };
        let mut incidents = self.incidents.lock().unwrap_or_else(|e| e.into_inner());
        let Some(incident) = incidents.get_mut(id) else {
            return Reply::json(
                404,
                json!({"error": "The requested resource could not be found."}),
            );
        };
        let i = &body["incident"];
        if let Some(s) = i.get("status") {
            incident["status"] = s.clone();
        }
        let update = json!({"status": incident["status"], "body": i.get("body").cloned().unwrap_or(json!("")),
            "created_at": jiff::Timestamp::now().to_string()});
        if let Some(updates) = incident["incident_updates"].as_array_mut() {
            updates.push(update);
        }
        Reply::json(200, incident.clone())
    }
}

/// Starts the stand-in; `api_key` is the key it accepts, its log goes in `dir`.
pub async fn start(dir: &Path, api_key: &str) -> std::io::Result<StatuspageStandIn> {
    let incidents: Arc<Mutex<BTreeMap<String, Value>>> = Arc::default();
    let api = Api {
        key: api_key.to_string(),
        incidents: incidents.clone(),
    };
    let server = http_standin::serve(
        dir.join("statuspage-requests.jsonl"),
        Arc::new(move |r| api.handle(r)),
    )
    .await?;
    Ok(StatuspageStandIn { server, incidents })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_incidents_are_refused_as_the_api_does() {
        let ok = json!({"incident": {"name": "Checkout down", "status": "investigating", "body": "b", "impact_override": "critical"}});
        assert!(problems(&ok, true).is_empty());
        assert!(problems(&json!({"incident": {"status": "resolved"}}), false).is_empty());
        assert_eq!(
            problems(&json!({"incident": {"status": "resolved"}}), true).len(),
            1
        );
        let bad =
            json!({"incident": {"name": "x", "status": "on-fire", "impact_override": "huge"}});
        assert_eq!(problems(&bad, true).len(), 2);
    }
}
