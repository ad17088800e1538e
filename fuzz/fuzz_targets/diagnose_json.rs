//! The diagnose JSON that `report new --from-diagnose FILE` reads: the file's text is parsed with
//! serde_json, then `severity_from_diagnose_doc` takes the severity and reasons from it. No input
//! may panic; a document that is accepted is stored as evidence, and that stored text must parse
//! back and suggest the same severity for the same reasons.
#![no_main]

use incidentctl::report::diagnosis::severity_from_diagnose_doc;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Read with read_to_string: text that is not UTF-8 is refused before parsing.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(text) else {
        return;
    };
    let Ok((severity, reason, stored)) = severity_from_diagnose_doc("fuzz.json", doc) else {
        return;
    };
    assert!(reason.starts_with("suggested by diagnose: "));
    let again: serde_json::Value =
        serde_json::from_str(&stored).expect("the stored evidence is JSON");
    let (severity_again, reason_again, _) = severity_from_diagnose_doc("stored", again)
        .expect("the stored evidence is still a diagnose document");
    assert_eq!((severity, reason), (severity_again, reason_again));
});
