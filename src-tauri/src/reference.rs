//! Reference lists for the UI's selects, named in the user's language, and the core's own
//! tables the window follows (contract moves, payers, fee purposes, return reasons,
//! currencies, course modules, the password minimum), so the UI keeps no copy of them.

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
    /// Contract statuses in their order, and the moves each allows by a status change
    /// (`registered` is reached only through the registration, with its number and date).
    pub contract_statuses: Vec<&'static str>,
    pub contract_moves: BTreeMap<&'static str, Vec<&'static str>>,
    pub contract_registered_from: &'static str,
    pub paid_by: &'static [&'static str],
    pub fee_purposes: &'static [&'static str],
    pub return_reasons: &'static [&'static str],
    /// The currencies the core accepts (data/currencies.tsv).
    pub currencies: Vec<&'static str>,
    /// The modules a pre-departure course may cover.
    pub modules: &'static [&'static str],
    /// The shortest password the core accepts.
    pub password_min: usize,
}

pub fn data(lang: Lang) -> ReferenceData {
    use crate::placement::records::ContractStatus;
    use crate::placement::{FEE_PURPOSES, PAID_BY, RETURN_REASONS};
    let named = |p: &places::Place| Named { code: p.code.clone(), name: p.name(lang).to_string() };
    ReferenceData {
        regions: places::regions().iter().map(named).collect(),
        countries: places::countries().iter().map(named).collect(),
        statuses: Status::ALL
            .iter()
            .map(|s| Named { code: s.code().to_string(), name: t(lang, &format!("status.{}", s.code()), &[]) })
            .collect(),
        transitions: Status::ALL.iter().map(|s| (s.code(), s.next().iter().map(|n| n.code()).collect())).collect(),
        contract_statuses: ContractStatus::ALL.iter().map(|s| s.code()).collect(),
        contract_moves: ContractStatus::ALL
            .iter()
            .map(|s| (s.code(), s.moves().iter().map(|m| m.code()).collect()))
            .collect(),
        // The one status a contract is registered from (with its number and date).
        contract_registered_from: ContractStatus::Signed.code(),
        paid_by: PAID_BY,
        fee_purposes: FEE_PURPOSES,
        return_reasons: RETURN_REASONS,
        currencies: crate::money::currency_codes().collect(),
        modules: crate::training::MODULES,
        password_min: crate::accounts::PASSWORD_MIN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_core_tables_the_window_follows_are_in_the_reference_data() {
        let d = data(Lang::En);
        assert_eq!(d.contract_statuses.first(), Some(&"draft"));
        assert_eq!(d.contract_moves.get("registered").map(Vec::as_slice), Some(&["active", "cancelled"][..]));
        assert!(d.currencies.contains(&"UZS") && d.currencies.contains(&"KRW"), "{:?}", d.currencies);
        assert!(d.fee_purposes.contains(&"placement") && d.paid_by == ["employer", "worker"]);
        assert_eq!((d.modules.len(), d.password_min), (6, 8));
    }
}
