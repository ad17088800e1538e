//! Oracles shared by the fuzz targets: properties that must hold for every input a parser
//! accepts, checked with assertions so that a violation is reported by libFuzzer like a panic.

use incidentctl::settings::redact_url;

/// Query parameters `redact_url` must hide (the same words it looks for).
const SECRET_QUERY_WORDS: [&str; 4] = ["password", "token", "secret", "key"];

/// `redact_url(raw)` shows no password: when `raw` is a URL with credentials, the redacted form,
/// parsed again, carries `***` as its password and `***` as the value of every secret-looking
/// query parameter. A redacted form that no longer parses (a `url` crate round-trip quirk, not
/// incidentctl's) is not judged.
pub fn assert_url_redacted(raw: &str) {
    let redacted = redact_url(raw);
    let Ok(original) = url::Url::parse(raw) else {
        // Not a URL: only what follows the last '@' may be shown.
        if let Some(at) = raw.rfind('@') {
            assert_eq!(redacted, format!("***@{}", &raw[at + 1..]));
        }
        return;
    };
    let Ok(shown) = url::Url::parse(&redacted) else {
        return;
    };
    if original.password().is_some() {
        assert_eq!(
            shown.password(),
            Some("***"),
            "redact_url({raw:?}) = {redacted:?} still shows a password"
        );
    }
    for (key, value) in shown.query_pairs() {
        let key = key.to_ascii_lowercase();
        if SECRET_QUERY_WORDS.iter().any(|w| key.contains(w)) {
            assert_eq!(
                value, "***",
                "redact_url({raw:?}) = {redacted:?} shows the query parameter {key}"
            );
        }
    }
}
