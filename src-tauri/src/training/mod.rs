//! Pre-departure training: courses, cohorts with their sessions, enrolment, attendance and
//! the exam. The result of a trainee is computed, never typed: attendance (hours present
//! over hours held) against the course's minimum, and the score against its pass mark.

pub mod service;

use crate::error::Problem;
use crate::placement::Check;
use serde::{Deserialize, Serialize};

/// The modules a pre-departure course covers (DOMAIN.md).
pub const MODULES: &[&str] = &["law_culture", "rights_contracts", "safety", "language", "remittances", "help"];

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct CourseInput {
    #[serde(deserialize_with = "crate::roster::text")]
    pub name_uz: Option<String>,
    #[serde(deserialize_with = "crate::roster::text")]
    pub name_uz_cyrl: Option<String>,
    #[serde(deserialize_with = "crate::roster::text")]
    pub name_ru: Option<String>,
    #[serde(deserialize_with = "crate::roster::text")]
    pub name_en: Option<String>,
    #[serde(deserialize_with = "crate::roster::text")]
    pub hours: Option<String>,
    #[serde(deserialize_with = "crate::roster::text")]
    pub pass_mark: Option<String>,
    #[serde(deserialize_with = "crate::roster::text")]
    pub min_attendance_percent: Option<String>,
    #[serde(deserialize_with = "crate::roster::text")]
    pub validity_months: Option<String>,
    /// Module codes; absent means all six.
    pub modules: Option<Vec<String>>,
    /// ISO codes of the destinations served; absent or empty means any.
    pub countries: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SessionInput {
    #[serde(deserialize_with = "crate::roster::text")]
    pub date: Option<String>,
    #[serde(deserialize_with = "crate::roster::text")]
    pub hours: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct CohortInput {
    #[serde(deserialize_with = "crate::roster::text")]
    pub course_id: Option<String>,
    #[serde(deserialize_with = "crate::roster::text")]
    pub starts_on: Option<String>,
    #[serde(deserialize_with = "crate::roster::text")]
    pub ends_on: Option<String>,
    #[serde(deserialize_with = "crate::roster::text")]
    pub place: Option<String>,
    #[serde(deserialize_with = "crate::roster::text")]
    pub trainer: Option<String>,
    #[serde(deserialize_with = "crate::roster::text")]
    pub capacity: Option<String>,
    pub sessions: Vec<SessionInput>,
}

/// A course that passed its checks.
#[derive(Debug, Clone, PartialEq)]
pub struct CourseData {
    pub names: [String; 4],
    pub hours: i64,
    pub modules: Vec<&'static str>,
    pub pass_mark: i64,
    pub min_attendance_percent: i64,
    pub validity_months: i64,
    pub countries: Vec<String>,
}

pub fn check_course(input: &CourseInput) -> Result<CourseData, Vec<Problem>> {
    let mut c = Check::default();
    let names = [
        c.text("name_uz", &input.name_uz, true, 200),
        c.text("name_uz_cyrl", &input.name_uz_cyrl, true, 200),
        c.text("name_ru", &input.name_ru, true, 200),
        c.text("name_en", &input.name_en, true, 200),
    ];
    let hours = c.int("hours", &input.hours, 1, 1000);
    let pass_mark = c.int("pass_mark", &input.pass_mark, 0, 100);
    let attendance = c.int("min_attendance_percent", &input.min_attendance_percent, 0, 100);
    let validity = c.int("validity_months", &input.validity_months, 1, 120);
    let mut modules = Vec::new();
    match &input.modules {
        None => modules.extend_from_slice(MODULES),
        Some(list) => {
            for m in list {
                let code = m.trim().to_ascii_lowercase();
                match MODULES.iter().find(|k| **k == code) {
                    Some(k) if !modules.contains(k) => modules.push(*k),
                    Some(_) => {}
                    None => {
                        c.problems.push(Problem::error("modules", "choice_invalid").with("choices", MODULES.join(", ")))
                    }
                }
            }
            if modules.is_empty() && c.problems.is_empty() {
                c.problems.push(Problem::error("modules", "required"));
            }
        }
    }
    let mut countries = Vec::new();
    for code in input.countries.iter().flatten() {
        if let Some(cc) = c.country("countries", &Some(code.clone())) {
            if !countries.contains(&cc) {
                countries.push(cc);
            }
        }
    }
    let [Some(a), Some(b), Some(r), Some(e)] = names else { return Err(c.problems) };
    match (hours, pass_mark, attendance, validity, c.problems.is_empty()) {
        (Some(hours), Some(pass_mark), Some(min_attendance_percent), Some(validity_months), true) => Ok(CourseData {
            names: [a, b, r, e],
            hours,
            modules,
            pass_mark,
            min_attendance_percent,
            validity_months,
            countries,
        }),
        _ => Err(c.problems),
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CohortData {
    pub course_id: i64,
    pub starts_on: String,
    pub ends_on: String,
    pub place: String,
    pub trainer: String,
    pub capacity: i64,
    pub sessions: Vec<(String, i64)>,
}

/// Checks a cohort: dates in order, every session inside them.
pub fn check_cohort(input: &CohortInput) -> Result<CohortData, Vec<Problem>> {
    let mut c = Check::default();
    let course_id = c.int("course_id", &input.course_id, 1, i64::MAX);
    let starts = c.date("starts_on", &input.starts_on, true);
    let ends = c.date("ends_on", &input.ends_on, true);
    if let (Some(s), Some(e)) = (starts, ends) {
        if e < s {
            c.problems.push(Problem::error("ends_on", "date_order").with("after", s.format("%Y-%m-%d")));
        }
    }
    let place = c.text("place", &input.place, true, 200);
    let trainer = c.text("trainer", &input.trainer, true, 200);
    let capacity = c.int("capacity", &input.capacity, 1, 10_000);
    let mut sessions = Vec::new();
    if input.sessions.is_empty() {
        c.problems.push(Problem::error("sessions", "required"));
    }
    for s in &input.sessions {
        let date = c.date("sessions.date", &s.date, true);
        let hours = c.int("sessions.hours", &s.hours, 1, 12);
        if let (Some(d), Some(st), Some(en)) = (date, starts, ends) {
            if d < st || d > en {
                c.problems
                    .push(Problem::error("sessions.date", "session_outside_cohort").with("date", d.format("%Y-%m-%d")));
            }
        }
        if let (Some(d), Some(h)) = (date, hours) {
            sessions.push((d.format("%Y-%m-%d").to_string(), h));
        }
    }
    sessions.sort();
    let (Some(course_id), Some(s), Some(e), Some(place), Some(trainer), Some(capacity), true) =
        (course_id, starts, ends, place, trainer, capacity, c.problems.is_empty())
    else {
        return Err(c.problems);
    };
    Ok(CohortData {
        course_id,
        starts_on: s.format("%Y-%m-%d").to_string(),
        ends_on: e.format("%Y-%m-%d").to_string(),
        place,
        trainer,
        capacity,
        sessions,
    })
}

/// A trainee's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pending,
    Pass,
    Fail,
}

/// The result from hours present over hours held, and the score. A session not marked
/// counts as absent: attendance is proven, not assumed. Reasons name every shortfall.
pub fn result(
    present_hours: i64,
    total_hours: i64,
    score: Option<i64>,
    pass_mark: i64,
    min_attendance_percent: i64,
) -> (Outcome, i64, Vec<&'static str>) {
    let percent = if total_hours > 0 { present_hours * 100 / total_hours } else { 0 };
    let mut reasons = Vec::new();
    if percent < min_attendance_percent {
        reasons.push("attendance_low");
    }
    let Some(score) = score else {
        reasons.push("score_missing");
        return (Outcome::Pending, percent, reasons);
    };
    if score < pass_mark {
        reasons.push("score_low");
    }
    (if reasons.is_empty() { Outcome::Pass } else { Outcome::Fail }, percent, reasons)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    #[test]
    fn the_result_needs_both_attendance_and_score() {
        assert_eq!(result(24, 24, Some(70), 60, 80), (Outcome::Pass, 100, vec![]));
        assert_eq!(result(18, 24, Some(90), 60, 80), (Outcome::Fail, 75, vec!["attendance_low"]));
        assert_eq!(result(24, 24, Some(59), 60, 80), (Outcome::Fail, 100, vec!["score_low"]));
        assert_eq!(result(0, 24, Some(10), 60, 80), (Outcome::Fail, 0, vec!["attendance_low", "score_low"]));
        assert_eq!(result(24, 24, None, 60, 80).0, Outcome::Pending);
        // Exactly the minimum passes.
        assert_eq!(result(20, 25, Some(60), 60, 80).0, Outcome::Pass);
        assert_eq!(result(0, 0, Some(100), 60, 0).0, Outcome::Pass);
    }

    #[test]
    fn a_course_names_every_problem() {
        let bad = CourseInput {
            name_uz: s("Xorijga ketish oldidan"),
            hours: s("0"),
            pass_mark: s("101"),
            modules: Some(vec!["astrology".into()]),
            countries: Some(vec!["XX".into()]),
            ..Default::default()
        };
        let p = check_course(&bad).expect_err("refused");
        let fields: Vec<_> = p.iter().map(|p| (p.field.unwrap_or(""), p.code)).collect();
        for expected in [
            ("name_uz_cyrl", "required"),
            ("hours", "number_invalid"),
            ("pass_mark", "number_invalid"),
            ("min_attendance_percent", "required"),
            ("modules", "choice_invalid"),
            ("countries", "country_unknown"),
        ] {
            assert!(fields.contains(&expected), "{expected:?} missing from {fields:?}");
        }
    }

    #[test]
    fn sessions_must_fall_inside_the_cohort() {
        let input = CohortInput {
            course_id: s("1"),
            starts_on: s("2026-11-02"),
            ends_on: s("2026-11-06"),
            place: s("Toshkent"),
            trainer: s("Karimova D."),
            capacity: s("20"),
            sessions: vec![
                SessionInput { date: s("2026-11-03"), hours: s("4") },
                SessionInput { date: s("2026-11-09"), hours: s("4") },
            ],
        };
        let p = check_cohort(&input).expect_err("refused");
        assert_eq!(p.iter().map(|p| p.code).collect::<Vec<_>>(), vec!["session_outside_cohort"]);
    }
}
