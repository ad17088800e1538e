//! A diagnosis (`diagnose -o json`) as the incident sees it: the severity it suggests, and the
//! one timeline line that sums it up when it is attached as evidence.

use crate::error::{Error, Result};
use crate::types::Severity;

/// The schema a diagnosis document names (`incidentctl.diagnose/v1`).
pub use crate::diagnose::DIAGNOSE_SCHEMA;

/// Severity, reason and the document itself from a parsed `diagnose -o json` document (the
/// entry point the diagnose-JSON fuzz target drives).
pub fn severity_from_diagnose_doc(
    source: &str,
    doc: serde_json::Value,
) -> Result<(Severity, String, String)> {
    if doc["schema"] != DIAGNOSE_SCHEMA {
        return Err(Error::Data {
            message: format!("{source}: not an {DIAGNOSE_SCHEMA} document"),
            hint: None,
        });
    }
    let sev: Option<Severity> = serde_json::from_value(doc["summary"]["severity"].clone())
        .ok()
        .flatten();
    let Some(sev) = sev else {
        return Err(Error::usage(
            "diagnose suggests no incident; give --severity to open one anyway",
        ));
    };
    let reasons: Vec<String> = doc["summary"]["reasons"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|r| r.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    Ok((
        sev,
        format!("suggested by diagnose: {}", reasons.join("; ")),
        doc.to_string(),
    ))
}

/// `diagnose: 1 critical, 2 warning, 0 unknown, 22 ok; suggested SEV2 (critical: k8s.pods)`.
pub fn timeline_line(doc: &serde_json::Value) -> String {
    let s = &doc["summary"];
    let critical: Vec<&str> = doc["checks"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|c| c["status"] == "critical")
                .filter_map(|c| c["id"].as_str())
                .collect()
        })
        .unwrap_or_default();
    format!(
        "diagnose: {} critical, {} warning, {} unknown, {} ok; suggested {}{}",
        s["critical"],
        s["warning"],
        s["unknown"],
        s["ok"],
        s["severity"].as_str().unwrap_or("no incident"),
        if critical.is_empty() {
            String::new()
        } else {
            format!(" (critical: {})", critical.join(", "))
        }
    )
}

/// What a saved diagnosis suspected (its onset and suspects), when it suspected anything.
pub fn suspicion(doc: &serde_json::Value, evidence: &str) -> Option<super::model::Suspicion> {
    let onset: Option<crate::diagnose::analysis::Onset> =
        serde_json::from_value(doc["onset"].clone()).ok().flatten();
    let suspects: Vec<crate::diagnose::analysis::suspects::Suspect> =
        serde_json::from_value(doc["suspects"].clone()).unwrap_or_default();
    (onset.is_some() || !suspects.is_empty()).then(|| super::model::Suspicion {
        evidence: evidence.to_string(),
        onset,
        suspects,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_diagnosis_sums_up_in_one_line() {
        let doc = json!({"schema": DIAGNOSE_SCHEMA,
            "checks": [{"id": "k8s.pods", "status": "critical"}, {"id": "redis.ping", "status": "ok"}],
            "summary": {"critical": 1, "warning": 0, "unknown": 0, "ok": 1, "severity": "SEV2", "reasons": ["k8s.pods critical"]}});
        assert_eq!(
            timeline_line(&doc),
            "diagnose: 1 critical, 0 warning, 0 unknown, 1 ok; suggested SEV2 (critical: k8s.pods)"
        );
        let (sev, reason, _) = severity_from_diagnose_doc("f.json", doc).unwrap();
        assert_eq!(sev, Severity::Sev2);
        assert_eq!(reason, "suggested by diagnose: k8s.pods critical");
    }

    #[test]
    fn another_document_or_no_incident_is_refused() {
        assert!(severity_from_diagnose_doc("f.json", json!({"schema": "x"})).is_err());
        let calm = json!({"schema": DIAGNOSE_SCHEMA, "summary": {"severity": null}});
        let err = severity_from_diagnose_doc("f.json", calm)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("diagnose suggests no incident"), "{err}");
    }
}
