//! Reference lists for the UI's selects, named in the user's language.

use crate::i18n::{t, Lang};
use crate::places;
use crate::roster::status::Status;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Serialize)]
pub struct Named {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Serialize)]
pub struct ReferenceData {
    pub regions: Vec<Named>,
    /// Common destinations first (named), then every other ISO code.
    pub countries: Vec<Named>,
    pub statuses: Vec<Named>,
    pub transitions: BTreeMap<&'static str, Vec<&'static str>>,
}

pub fn data(lang: Lang) -> ReferenceData {
    let named = |p: &places::Place| Named { code: p.code.clone(), name: p.name(lang).to_string() };
    ReferenceData {
        regions: places::regions().iter().map(named).collect(),
        countries: places::countries().iter().map(named).collect(),
        statuses: Status::ALL
            .iter()
            .map(|s| Named { code: s.code().to_string(), name: t(lang, &format!("status.{}", s.code()), &[]) })
            .collect(),
        transitions: Status::ALL.iter().map(|s| (s.code(), s.next().iter().map(|n| n.code()).collect())).collect(),
    }
}
