//! Redis: the seed's `redis-cli ping` and `info stats` / `info memory` steps.

pub mod memory;
pub mod ping;

use crate::settings::Settings;

/// The Redis server as errors name it: its URL without the password.
pub fn where_(settings: &Settings) -> String {
    settings.redis.url.redacted()
}
