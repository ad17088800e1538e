//! `incidentctl config show`: the resolved settings, secrets redacted, for support and for
//! checking which file and variables were picked up.

use crate::cli::{ConfigCommand, OutputFormat};
use crate::error::{Error, ExitCode, Result};
use crate::output;
use crate::settings::Settings;

pub fn run(command: &ConfigCommand, settings: &Settings) -> Result<ExitCode> {
    match command {
        ConfigCommand::Show => {
            // Every threshold as it applies, not only those the file sets.
            let mut shown = settings.clone();
            shown.thresholds = crate::checks::effective_thresholds(settings);
            let settings = &shown;
            let text = match settings.output {
                OutputFormat::Json => output::json::to_string(settings)?,
                _ => {
                    let source = match &settings.config_file {
                        Some(p) => format!("# config file: {}\n", p.display()),
                        None => "# config file: none found (built-in defaults)\n".to_string(),
                    };
                    let body = toml::to_string_pretty(settings)
                        .map_err(|e| Error::Internal(format!("cannot render settings: {e}")))?;
                    format!("{source}{body}")
                }
            };
            output::write_stdout(&text)?;
            Ok(ExitCode::Ok)
        }
    }
}
