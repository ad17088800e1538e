//! `incidentctl config show`: the resolved settings, secrets redacted, for support and for
//! checking which file and variables were picked up; and, when the cluster answers, the app's
//! objects as the commands will find them.

use crate::cli::{ConfigCommand, OutputFormat};
use crate::clients::Context;
use crate::discovery;
use crate::error::{Error, ExitCode, Result};
use crate::output;
use std::sync::Arc;

/// The app's objects as found, or why they could not be looked up.
async fn discovered(ctx: &Context) -> std::result::Result<Vec<discovery::Finding>, String> {
    let look = async {
        let client = ctx.kube().await?;
        discovery::describe(client, &ctx.settings).await
    };
    match tokio::time::timeout(ctx.settings.timeout.0, look).await {
        Ok(Ok(found)) => Ok(found),
        Ok(Err(e)) => Err(e.message),
        Err(_) => Err(format!(
            "the cluster did not answer within {}",
            ctx.settings.timeout
        )),
    }
}

/// The app's request metrics as the checks will read them, or why they could not be looked up.
async fn request_metrics(ctx: Arc<Context>) -> std::result::Result<(String, bool), String> {
    let timeout = ctx.settings.timeout;
    let readings = crate::checks::Readings::new(ctx);
    let look = crate::checks::prometheus::request_metrics::found(&readings);
    match tokio::time::timeout(timeout.0, look).await {
        Ok(found) => found.map_err(|e| e.message),
        Err(_) => Err(format!("Prometheus did not answer within {timeout}")),
    }
}

pub async fn run(command: &ConfigCommand, ctx: Arc<Context>) -> Result<ExitCode> {
    match command {
        ConfigCommand::Show { .. } => {
            // Every threshold as it applies, not only those the file sets.
            let mut shown = (*ctx.settings).clone();
            shown.thresholds = crate::checks::effective_thresholds(&ctx.settings);
            let settings = &shown;
            let (found, metrics) = tokio::join!(discovered(&ctx), request_metrics(ctx.clone()));
            // Secrets are redacted by their types (Secret, SecretUrl); every string is also
            // scrubbed, field by field, so no credential in a value of any key gets through.
            let mut doc = serde_json::to_value(settings)
                .map_err(|e| Error::Internal(format!("cannot render settings: {e}")))?;
            crate::output::redact::json_strings(&mut doc);
            let text = match settings.output {
                OutputFormat::Json => {
                    doc["discovered"] = match &found {
                        Ok(found) => serde_json::json!(found),
                        Err(why) => serde_json::json!({"error": why}),
                    };
                    doc["request_metrics"] = match &metrics {
                        Ok((found, ok)) => serde_json::json!({"found": found, "ok": ok}),
                        Err(why) => serde_json::json!({"error": why}),
                    };
                    output::json::to_string(&doc)?
                }
                _ => {
                    let source = match &settings.config_file {
                        Some(p) => format!("# config file: {}\n", p.display()),
                        None => "# config file: none found (built-in defaults)\n".to_string(),
                    };
                    let body = toml::to_string_pretty(&without_nulls(doc))
                        .map_err(|e| Error::Internal(format!("cannot render settings: {e}")))?;
                    let metrics = match &metrics {
                        Ok((found, _)) => format!("# app request metrics: {found}\n"),
                        Err(why) => format!("# app request metrics: not looked up ({why})\n"),
                    };
                    format!("{source}{}{metrics}{body}", found_text(&found))
                }
            };
            ctx.console.data(text)?;
            Ok(ExitCode::Ok)
        }
    }
}

/// The document without its empty values: TOML has no null (a setting not set is left out).
fn without_nulls(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(fields) => Value::Object(
            fields
                .into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// `# found in namespace …` comment lines above the settings.
fn found_text(found: &std::result::Result<Vec<discovery::Finding>, String>) -> String {
    match found {
        Ok(found) => found
            .iter()
            .map(|f| format!("# app {}: {}\n", f.object, f.found))
            .collect(),
        Err(why) => format!("# app objects: not looked up ({why})\n"),
    }
}
