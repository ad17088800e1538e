//! The routes of the config, resolved: for each audience, the channels that reach it and where
//! each one goes (secrets included, for sending only).

use super::ChannelKind;
use crate::settings::{Secret, Settings};
use crate::types::Audience;
use std::collections::BTreeMap;

/// Where one channel of an audience goes.
#[derive(Debug, Clone)]
pub enum Destination {
    Email(Vec<String>),
    /// An incoming webhook URL.
    Slack(Secret),
    /// An Events API v2 routing key.
    Pagerduty(Secret),
    Statuspage,
}

impl Destination {
    pub fn kind(&self) -> ChannelKind {
        match self {
            Destination::Email(_) => ChannelKind::Email,
            Destination::Slack(_) => ChannelKind::Slack,
            Destination::Pagerduty(_) => ChannelKind::Pagerduty,
            Destination::Statuspage => ChannelKind::Statuspage,
        }
    }

    /// For people: the addresses, or the channel's name (never a URL or a key: they are
    /// secrets).
    pub fn shown(&self) -> String {
        match self {
            Destination::Email(to) => to.join(", "),
            Destination::Slack(_) => "Slack webhook".into(),
            Destination::Pagerduty(_) => "PagerDuty service".into(),
            Destination::Statuspage => "status page".into(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Routes {
    by_audience: BTreeMap<Audience, Vec<Destination>>,
}

impl Routes {
    /// Routes naming the same audience add up: their addresses join one email.
    pub fn from_settings(settings: &Settings) -> Routes {
        let mut by_audience: BTreeMap<Audience, Vec<Destination>> = BTreeMap::new();
        let default_key = settings
            .notify
            .pagerduty
            .as_ref()
            .and_then(|p| p.routing_key.clone());
        for r in &settings.notify.routes {
            let channels = by_audience.entry(r.audience).or_default();
            if !r.email.is_empty() {
                match channels.iter_mut().find_map(|d| match d {
                    Destination::Email(to) => Some(to),
                    _ => None,
                }) {
                    Some(to) => to.extend(r.email.iter().cloned()),
                    None => channels.push(Destination::Email(r.email.clone())),
                }
            }
            let slack = r.slack_webhook.clone().or_else(|| {
                r.slack
                    .then(|| settings.report.slack_webhook.clone())
                    .flatten()
            });
            if let Some(hook) = slack {
                channels.push(Destination::Slack(hook));
            }
            let key = r
                .pagerduty_routing_key
                .clone()
                .or_else(|| r.pagerduty.then(|| default_key.clone()).flatten());
            if let Some(key) = key {
                channels.push(Destination::Pagerduty(key));
            }
            if r.statuspage {
                channels.push(Destination::Statuspage);
            }
        }
        for channels in by_audience.values_mut() {
            channels.sort_by_key(Destination::kind);
            if let Some(Destination::Email(to)) = channels.first_mut() {
                to.sort();
                to.dedup();
            }
        }
        Routes { by_audience }
    }

    /// Routes given directly, channel by channel.
    pub fn new(by_audience: BTreeMap<Audience, Vec<Destination>>) -> Routes {
        Routes { by_audience }
    }

    pub fn is_empty(&self) -> bool {
        self.by_audience.is_empty()
    }

    /// The channels that reach `audience` (none: it has no route).
    pub fn channels(&self, audience: Audience) -> &[Destination] {
        self.by_audience
            .get(&audience)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    pub fn destination(&self, audience: Audience, kind: ChannelKind) -> Option<&Destination> {
        self.channels(audience).iter().find(|d| d.kind() == kind)
    }

    pub fn audiences(&self) -> impl Iterator<Item = (&Audience, &Vec<Destination>)> {
        self.by_audience.iter()
    }
}
