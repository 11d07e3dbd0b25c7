//! The worker's pipeline. The allowed moves are this one table; everything else is refused.

use crate::error::AppError;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Registered,
    InTraining,
    Certified,
    ContractSigned,
    ContractRegistered,
    Departed,
    Returned,
    Withdrawn,
    Rejected,
}

use Status::*;

/// From → the statuses a worker may move to. Backward steps exist where real life goes
/// back (a failed course, a cancelled contract); side exits can be re-opened.
pub const MOVES: &[(Status, &[Status])] = &[
    (Registered, &[InTraining, Withdrawn, Rejected]),
    (InTraining, &[Certified, Registered, Withdrawn, Rejected]),
    (Certified, &[ContractSigned, InTraining, Withdrawn, Rejected]),
    (ContractSigned, &[ContractRegistered, Certified, Withdrawn, Rejected]),
    (ContractRegistered, &[Departed, ContractSigned, Withdrawn, Rejected]),
    (Departed, &[Returned]),
    (Returned, &[Registered]),
    (Withdrawn, &[Registered]),
    (Rejected, &[Registered]),
];

impl Status {
    pub const ALL: [Status; 9] = [
        Registered,
        InTraining,
        Certified,
        ContractSigned,
        ContractRegistered,
        Departed,
        Returned,
        Withdrawn,
        Rejected,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Registered => "registered",
            InTraining => "in_training",
            Certified => "certified",
            ContractSigned => "contract_signed",
            ContractRegistered => "contract_registered",
            Departed => "departed",
            Returned => "returned",
            Withdrawn => "withdrawn",
            Rejected => "rejected",
        }
    }

    pub fn parse(text: &str) -> Result<Status, AppError> {
        let t = text.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Status::ALL
            .into_iter()
            .find(|s| s.code() == t)
            .ok_or_else(|| AppError::new("status_unknown").on("status").with("status", text.trim()))
    }

    pub fn next(self) -> &'static [Status] {
        MOVES.iter().find(|(from, _)| *from == self).map(|(_, to)| *to).unwrap_or(&[])
    }

    /// Refuses a move the table does not allow, naming both statuses.
    pub fn check_move(self, to: Status) -> Result<(), AppError> {
        if self == to {
            return Err(AppError::new("status_same").on("status").with("status", self.code()));
        }
        if self.next().contains(&to) {
            Ok(())
        } else {
            Err(AppError::new("status_move_forbidden").on("status").with("from", self.code()).with("to", to.code()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_a_row_in_the_table() {
        for s in Status::ALL {
            assert!(MOVES.iter().any(|(from, _)| *from == s), "{s:?} has no row");
            assert_eq!(Status::parse(s.code()).ok(), Some(s));
        }
    }

    #[test]
    fn the_pipeline_runs_forward_and_refuses_jumps() {
        let path = [Registered, InTraining, Certified, ContractSigned, ContractRegistered, Departed, Returned];
        for pair in path.windows(2) {
            assert!(pair[0].check_move(pair[1]).is_ok(), "{:?} → {:?}", pair[0], pair[1]);
        }
        let e = Registered.check_move(Departed).expect_err("jump");
        assert_eq!(e.code, "status_move_forbidden");
        assert_eq!(Departed.check_move(Withdrawn).expect_err("no exit").code, "status_move_forbidden");
        assert_eq!(Registered.check_move(Registered).expect_err("same").code, "status_same");
        assert_eq!(Status::parse("flying").expect_err("unknown").code, "status_unknown");
    }
}
