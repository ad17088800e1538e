//! Email to a real SMTP server (aiosmtpd): STARTTLS and AUTH, implicit TLS, and what arrives —
//! From, To, Subject, Date, Message-ID, a UTF-8 body — with no secret in it or anywhere else.

use super::{Bench, StoreKind};
use crate::support::pki::Pki;
use incidentctl_sandbox::smtp::{SmtpMode, SmtpOptions};

const USER: &str = "incidentctl";
const PASSWORD: &str = "s3cr3t-Pässwort";

fn tls_options(pki: &Pki, mode: SmtpMode) -> SmtpOptions {
    SmtpOptions {
        mode,
        cert: Some(pki.server_cert.clone()),
        key: Some(pki.server_key.clone()),
        auth: Some((USER.into(), PASSWORD.into())),
    }
}

/// The manager by email, logging in with a password from a file, trusting the test CA.
fn config(b: &Bench, pki: &Pki, url: &str, extra: &str) -> String {
    std::fs::write(b.dir.path().join("smtp-password"), format!("{PASSWORD}\n")).unwrap();
    format!(
        "[notify.smtp]\nurl = \"{url}\"\nfrom = \"Incident Bot <incidents@example.com>\"\nusername = \"{USER}\"\npassword_file = \"{}/smtp-password\"\n{extra}\n[notify.smtp.tls]\nca_file = \"{}\"\n\n[[notify.route]]\naudience = \"manager\"\nemail = [\"em@example.com\"]\n",
        b.dir.path().display(),
        pki.ca.display()
    )
}

#[test]
fn mail_goes_out_over_starttls_with_auth_whole_and_without_secrets() {
    let pki = Pki::generate();
    let b = Bench::start(StoreKind::Dir, tls_options(&pki, SmtpMode::StartTls));
    b.write_config(&config(&b, &pki, &b.smtp.url("localhost"), ""));
    let id = b.open_in_the_past("-31m", "SEV1");
    let summary = b.run(
        None,
        &[
            "set",
            &id,
            "--summary",
            "Verbindungspool erschöpft; DSN postgres://app:hunter2@db/app",
        ],
    );
    assert_eq!(summary.code, 0, "{}", summary.all());
    let r = b.run(None, &["escalate"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let mail = b.mail_to("em@example.com");
    assert_eq!(mail.len(), 1);
    let m = &mail[0];
    assert_eq!(m["tls"], true, "sent after STARTTLS");
    assert_eq!(m["authenticated"], true, "logged in");
    assert_eq!(m["mail_from"], "incidents@example.com");
    assert_eq!(m["from"], "Incident Bot <incidents@example.com>");
    assert_eq!(m["to"], "em@example.com");
    assert_eq!(
        m["subject"],
        format!("[SEV1] {id} unresolved after 30 min: Checkout down — Zahlungsausfall")
    );
    let date = m["date"].as_str().expect("a Date header");
    assert!(date.ends_with("+0000") && date.len() > 20, "{date}");
    assert_eq!(
        m["message_id"],
        format!("<{id}.escalation-30m.manager@example.com>")
    );
    assert!(
        m["content_type"]
            .as_str()
            .unwrap()
            .contains("charset=\"utf-8\""),
        "{m:#}"
    );
    let body = m["body"].as_str().unwrap();
    assert!(
        body.contains("Summary: Verbindungspool erschöpft"),
        "{body}"
    );
    assert!(body.contains("Checkout down — Zahlungsausfall"), "{body}");
    assert!(body.contains("the engineering manager"), "{body}");
    // No secret anywhere: not the SMTP password, not the DSN's password.
    let raw = m["raw"].as_str().unwrap();
    for secret in [PASSWORD, "hunter2"] {
        assert!(!raw.contains(secret), "{secret} in the message:\n{raw}");
        assert!(!r.all().contains(secret), "{secret} in the output");
        let entries = serde_json::to_string(&b.entries(&id, "notified")).unwrap();
        assert!(
            !entries.contains(secret),
            "{secret} in the timeline: {entries}"
        );
    }
    let entries = b.entries(&id, "notified");
    assert_eq!(entries.len(), 1);
    assert!(entries[0]["text"]
        .as_str()
        .unwrap()
        .contains("em@example.com"));
}

#[test]
fn implicit_tls_works_and_failures_before_data_are_failures_not_unknowns() {
    let pki = Pki::generate();
    let b = Bench::start(StoreKind::Dir, tls_options(&pki, SmtpMode::Smtps));
    b.write_config(&config(&b, &pki, &b.smtp.url("localhost"), ""));
    b.open_in_the_past("-31m", "SEV1");
    let r = b.run(None, &["escalate"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let mail = b.mail_to("em@example.com");
    assert_eq!(mail.len(), 1);
    assert_eq!(
        (mail[0]["tls"].clone(), mail[0]["authenticated"].clone()),
        (true.into(), true.into())
    );

    // A wrong password: the server refuses AUTH (535): failed, the server answered (12).
    let wrong = Bench::start(StoreKind::Dir, tls_options(&pki, SmtpMode::StartTls));
    wrong.write_config(&config(&wrong, &pki, &wrong.smtp.url("localhost"), ""));
    std::fs::write(wrong.dir.path().join("smtp-password"), "not-it\n").unwrap();
    let id = wrong.open_in_the_past("-31m", "SEV1");
    let r = wrong.run(None, &["escalate", "-o", "json"]);
    assert_eq!(r.code, 12, "{}", r.all());
    let send = &r.json()["sends"][0];
    assert_eq!(send["result"], "failed", "{send:#}");
    assert!(
        send["detail"].as_str().unwrap().contains("AUTH"),
        "{send:#}"
    );
    assert!(!r.all().contains("not-it"));
    assert!(wrong.smtp.messages().is_empty());
    assert_eq!(wrong.entries(&id, "notify-failed").len(), 1);

    // A CA the client does not trust: failed at the handshake, nothing reached (69).
    let untrusted = Bench::start(StoreKind::Dir, tls_options(&pki, SmtpMode::StartTls));
    let text = config(&untrusted, &pki, &untrusted.smtp.url("localhost"), "").replace(
        &pki.ca.display().to_string(),
        &pki.other_ca.display().to_string(),
    );
    untrusted.write_config(&text);
    untrusted.open_in_the_past("-31m", "SEV1");
    let r = untrusted.run(None, &["escalate", "-o", "json"]);
    assert_eq!(r.code, 69, "{}", r.all());
    assert!(untrusted.smtp.messages().is_empty());

    // STARTTLS required, and a server without it: refused before anything is sent.
    let plain = Bench::start(StoreKind::Dir, SmtpOptions::plain());
    let text = format!(
        "[notify.smtp]\nurl = \"{}\"\nfrom = \"incidents@example.com\"\nstarttls = \"required\"\n\n[[notify.route]]\naudience = \"manager\"\nemail = [\"em@example.com\"]\n",
        plain.smtp.url("127.0.0.1")
    );
    plain.write_config(&text);
    plain.open_in_the_past("-31m", "SEV1");
    let r = plain.run(None, &["escalate", "-o", "json"]);
    assert_ne!(r.code, 0, "{}", r.all());
    assert!(r.json()["sends"][0]["detail"]
        .as_str()
        .unwrap()
        .contains("does not offer STARTTLS"));
    assert!(plain.smtp.messages().is_empty());
}
