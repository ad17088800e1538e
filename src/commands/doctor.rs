//! `incidentctl doctor [--send-test]`

use crate::cli::OutputFormat;
use crate::clients::Context;
use crate::commands::diagnose::exit_code;
use crate::error::{ExitCode, Result};
use crate::output;
use crate::settings::Settings;
use std::sync::Arc;

pub async fn run(send_test: bool, settings: Arc<Settings>) -> Result<ExitCode> {
    let ctx = Arc::new(Context::new(settings.clone()));
    let rows = crate::doctor::run(ctx, send_test).await;
    let text = match settings.output {
        OutputFormat::Json => output::json::to_string(&rows)?,
        _ => {
            let mut t = comfy_table::Table::new();
            t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
            t.force_no_tty();
            t.set_header(vec!["AREA", "REQUIREMENT", "STATUS", "DETAIL", "FIX"]);
            for r in &rows {
                t.add_row(vec![
                    r.area.to_string(),
                    r.requirement.clone(),
                    r.status.as_str().to_uppercase(),
                    r.detail.clone(),
                    r.fix.clone().unwrap_or_default(),
                ]);
            }
            format!("{t}\n")
        }
    };
    output::write_stdout(&text)?;
    Ok(exit_code(crate::types::Status::overall(
        rows.iter().map(|r| r.status),
    )))
}
