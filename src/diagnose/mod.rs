//! `incidentctl diagnose`: what runs the checks' findings into a verdict — severity, the
//! comparison with a baseline, the evidence bundle, the analysis of symptoms and suspects, and
//! the watch loop.

pub mod analysis;
pub mod compare;
pub mod evidence;
pub mod severity;
pub mod watch;
