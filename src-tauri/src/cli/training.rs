//! `safar training …`: courses, cohorts, enrolment, attendance, scores.

use super::output::{pad, read_json, refusal_json};
use super::Ctx;
use crate::error::AppError;
use crate::i18n::{format_date as fd, t, Lang};
use clap::Subcommand;
use serde_json::json;

#[derive(Subcommand, Debug)]
pub enum TrainingCommand {
    /// Courses (JSON on standard input for `add`).
    Course {
        #[command(subcommand)]
        command: CourseCommand,
    },
    /// Cohorts (JSON on standard input for `add`, with `sessions: [{date, hours}]`).
    Cohort {
        #[command(subcommand)]
        command: CohortCommand,
    },
    /// Enrol workers in a cohort.
    Enroll {
        cohort: i64,
        #[arg(required = true)]
        workers: Vec<i64>,
    },
    /// Mark workers present (or `--absent`) at one session.
    Attend {
        cohort: i64,
        session: i64,
        #[arg(required = true)]
        workers: Vec<i64>,
        #[arg(long)]
        absent: bool,
    },
    /// Record a trainee's exam score (0–100).
    Score { cohort: i64, worker: i64, score: String },
}

#[derive(Subcommand, Debug)]
pub enum CourseCommand {
    Add,
    List,
}

#[derive(Subcommand, Debug)]
pub enum CohortCommand {
    Add,
    List {
        #[arg(long)]
        course: Option<i64>,
    },
    Show {
        id: i64,
    },
}

impl TrainingCommand {
    /// The line of `data/permissions.tsv` this command is checked against.
    pub(super) fn permission(&self) -> &'static str {
        match self {
            TrainingCommand::Course { command: CourseCommand::Add } => "courses_add",
            TrainingCommand::Course { command: CourseCommand::List } => "courses_list",
            TrainingCommand::Cohort { command: CohortCommand::Add } => "cohorts_add",
            TrainingCommand::Cohort { command: CohortCommand::List { .. } } => "cohorts_list",
            TrainingCommand::Cohort { command: CohortCommand::Show { .. } } => "cohorts_get",
            TrainingCommand::Enroll { .. } => "training_enroll",
            TrainingCommand::Attend { .. } => "training_attend",
            TrainingCommand::Score { .. } => "training_score",
        }
    }
}

fn trainee_line(t: &crate::training::service::Trainee, lang: Lang) -> String {
    let marks: String = t
        .attendance
        .iter()
        .map(|a| match a {
            Some(true) => '+',
            Some(false) => '-',
            None => '.',
        })
        .collect();
    let why = t.reasons.iter().map(|r| t_reason(lang, r)).collect::<Vec<_>>().join("; ");
    format!(
        "{:>7}  {}  [{marks}] {:>3}%  {:>4}  {:?}{}{}",
        t.worker_id,
        pad(&t.name, 36),
        t.attendance_percent,
        t.score.map(|s| s.to_string()).unwrap_or_else(|| "—".into()),
        t.result,
        if why.is_empty() { String::new() } else { format!(" ({why})") },
        t.certificate.as_ref().map(|n| format!("  {n}")).unwrap_or_default()
    )
}

fn t_reason(lang: Lang, code: &str) -> String {
    t(lang, &format!("training.reason_{code}"), &[])
}

pub(super) async fn run(cx: &Ctx<'_>, command: TrainingCommand) -> Result<i32, AppError> {
    let Ctx { state, out, lang, actor, .. } = *cx;
    let desk = &state.desk;
    match command {
        TrainingCommand::Course { command: CourseCommand::Add } => {
            let c = desk.add_course(&read_json()?, actor).await?;
            out.print(&c, || format!("#{}  {} ({} h)", c.course.id, c.course.name_uz, c.course.hours));
        }
        TrainingCommand::Course { command: CourseCommand::List } => {
            let list = desk.courses().await?;
            out.print(&list, || {
                list.iter()
                    .map(|c| {
                        let k = &c.course;
                        format!(
                            "{:>5}  {}  {:>3} h  pass {}  attendance {}%  valid {} months  {}",
                            k.id,
                            pad(&k.name_uz, 40),
                            k.hours,
                            k.pass_mark,
                            k.min_attendance_percent,
                            k.validity_months,
                            k.countries
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        TrainingCommand::Cohort { command: CohortCommand::Add } => {
            let c = desk.add_cohort(&read_json()?, actor).await?;
            out.print(&c, || {
                let sessions = c
                    .sessions
                    .iter()
                    .map(|s| format!("  session {}  {}  {} h", s.id, fd(lang, &s.held_on), s.hours))
                    .collect::<Vec<_>>();
                format!(
                    "#{}  {} → {}  {}\n{}",
                    c.cohort.id,
                    fd(lang, &c.cohort.starts_on),
                    fd(lang, &c.cohort.ends_on),
                    c.cohort.place,
                    sessions.join("\n")
                )
            });
        }
        TrainingCommand::Cohort { command: CohortCommand::List { course } } => {
            let list = desk.cohorts(course).await?;
            out.print(&list, || {
                list.iter()
                    .map(|c| {
                        format!(
                            "{:>5}  course {:>3}  {} → {}  {}  {}  {}/{}",
                            c.id,
                            c.course_id,
                            fd(lang, &c.starts_on),
                            fd(lang, &c.ends_on),
                            pad(&c.place, 20),
                            pad(&c.trainer, 20),
                            c.enrolled,
                            c.capacity
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        TrainingCommand::Cohort { command: CohortCommand::Show { id } } => {
            let c = desk.cohort(id).await?;
            out.print(&c, || {
                let mut lines = vec![format!(
                    "#{}  {}  {} → {}  {}  {}",
                    c.cohort.id,
                    c.course.course.name_uz,
                    fd(lang, &c.cohort.starts_on),
                    fd(lang, &c.cohort.ends_on),
                    c.cohort.place,
                    c.cohort.trainer
                )];
                lines.extend(
                    c.sessions.iter().map(|s| format!("  session {}  {}  {} h", s.id, fd(lang, &s.held_on), s.hours)),
                );
                lines.extend(c.trainees.iter().map(|t| trainee_line(t, lang)));
                lines.join("\n")
            });
        }
        TrainingCommand::Enroll { cohort, workers } => {
            let (enrolled, refused) = desk.enroll(cohort, &workers, actor).await?;
            let body = json!({"enrolled": enrolled, "refused": refused.iter().map(|r| refusal_json(r, lang)).collect::<Vec<_>>()});
            out.print(&body, || {
                let mut lines = vec![t(lang, "cli.enrolled", &[("count", enrolled.len().to_string())])];
                lines.extend(refused.iter().map(|r| format!("  ✗ #{}: {}", r.worker_id, r.error.message(lang))));
                lines.join("\n")
            });
            if enrolled.is_empty() && !refused.is_empty() {
                return Ok(2);
            }
        }
        TrainingCommand::Attend { cohort, session, workers, absent } => {
            let c = desk.attend(cohort, session, &workers, !absent, actor).await?;
            out.print(&c, || c.trainees.iter().map(|t| trainee_line(t, lang)).collect::<Vec<_>>().join("\n"));
        }
        TrainingCommand::Score { cohort, worker, score } => {
            let tr = desk.score(cohort, worker, &score, actor).await?;
            out.print(&tr, || trainee_line(&tr, lang));
        }
    }
    Ok(0)
}
