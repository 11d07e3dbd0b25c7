// Over 600 lines: one generator that makes every kind of record (workers, placements, training) consistent with the rules it mirrors, read together.
//! Realistic synthetic workers for demos and benchmarks: valid PINFLs, names in both
//! scripts, every region and every status. Deterministic for a seed.

use crate::accounts::{Session, UserInput};
use crate::audit::{self, Entry};
use crate::desk::Desk;
use crate::error::Result;
use crate::roster::consent::{ConsentData, DEFAULT_DATA_LIST};
use crate::roster::identity::{make_pinfl, Sex};
use crate::roster::status::Status;
use crate::roster::WorkerData;
use crate::store::placement::{self as pq, DemoContract};
use crate::store::workers::{insert_many, BulkWorker, Placement};
use chrono::{Datelike, Duration, NaiveDate};

/// Surnames (male form) in Latin and Cyrillic; the female form adds `a` / `а`.
const SURNAMES: &[(&str, &str)] = &[
    ("Karimov", "Каримов"),
    ("Gʻulomov", "Ғуломов"),
    ("Rahimov", "Раҳимов"),
    ("Qodirov", "Қодиров"),
    ("Xoʻjayev", "Хўжаев"),
    ("Toshmatov", "Тошматов"),
    ("Saidov", "Саидов"),
    ("Mirzayev", "Мирзаев"),
    ("Yusupov", "Юсупов"),
    ("Abdullayev", "Абдуллаев"),
    ("Ergashev", "Эргашев"),
    ("Nazarov", "Назаров"),
    ("Sobirov", "Собиров"),
    ("Rasulov", "Расулов"),
    ("Tursunov", "Турсунов"),
    ("Xolmatov", "Холматов"),
    ("Oʻtkirov", "Ўткиров"),
    ("Jurayev", "Жураев"),
    ("Aliyev", "Алиев"),
    ("Hasanov", "Ҳасанов"),
    ("Qosimov", "Қосимов"),
    ("Umarov", "Умаров"),
    ("Ismoilov", "Исмоилов"),
    ("Boboyev", "Бобоев"),
    ("Normatov", "Норматов"),
    ("Sultonov", "Султонов"),
    ("Shukurov", "Шукуров"),
    ("Ahmedov", "Аҳмедов"),
    ("Musayev", "Мусаев"),
    ("Zokirov", "Зокиров"),
    ("Fayzullayev", "Файзуллаев"),
    ("Gʻaniyev", "Ғаниев"),
    ("Raxmatullayev", "Рахматуллаев"),
    ("Choriyev", "Чориев"),
    ("Eshmatov", "Эшматов"),
    ("Hamidov", "Ҳамидов"),
    ("Ibragimov", "Ибрагимов"),
    ("Latipov", "Латипов"),
    ("Mahmudov", "Маҳмудов"),
    ("Olimov", "Олимов"),
    ("Polvonov", "Полвонов"),
    ("Rustamov", "Рустамов"),
    ("Safarov", "Сафаров"),
    ("Tojiyev", "Тожиев"),
    ("Valiyev", "Валиев"),
    ("Yoqubov", "Ёқубов"),
    ("Zaripov", "Зарипов"),
    ("Bozorov", "Бозоров"),
];

const MALE: &[(&str, &str)] = &[
    ("Anvar", "Анвар"),
    ("Jasur", "Жасур"),
    ("Oʻtkir", "Ўткир"),
    ("Ilhom", "Илҳом"),
    ("Jahongir", "Жаҳонгир"),
    ("Doniyor", "Дониёр"),
    ("Sardor", "Сардор"),
    ("Bekzod", "Бекзод"),
    ("Otabek", "Отабек"),
    ("Shavkat", "Шавкат"),
    ("Farrux", "Фаррух"),
    ("Gʻayrat", "Ғайрат"),
    ("Sherzod", "Шерзод"),
    ("Rustam", "Рустам"),
    ("Akmal", "Акмал"),
    ("Bobur", "Бобур"),
    ("Dilshod", "Дилшод"),
    ("Eldor", "Элдор"),
    ("Javlon", "Жавлон"),
    ("Laziz", "Лазиз"),
    ("Mansur", "Мансур"),
    ("Nodir", "Нодир"),
    ("Qahramon", "Қаҳрамон"),
    ("Sanjar", "Санжар"),
    ("Ulugʻbek", "Улуғбек"),
    ("Xurshid", "Хуршид"),
    ("Zafar", "Зафар"),
    ("Abror", "Аброр"),
    ("Hamid", "Ҳамид"),
    ("Maʼruf", "Маъруф"),
];

const FEMALE: &[(&str, &str)] = &[
    ("Dilnoza", "Дилноза"),
    ("Gulnora", "Гулнора"),
    ("Madina", "Мадина"),
    ("Nilufar", "Нилуфар"),
    ("Shahnoza", "Шаҳноза"),
    ("Zarina", "Зарина"),
    ("Feruza", "Феруза"),
    ("Gʻuncha", "Ғунча"),
    ("Kamola", "Камола"),
    ("Laylo", "Лайло"),
    ("Malika", "Малика"),
    ("Nodira", "Нодира"),
    ("Oʻgʻiloy", "Ўғилой"),
    ("Sevara", "Севара"),
    ("Umida", "Умида"),
    ("Xurshida", "Хуршида"),
    ("Yulduz", "Юлдуз"),
    ("Ziyoda", "Зиёда"),
    ("Barno", "Барно"),
    ("Dildora", "Дилдора"),
];

const REGIONS: &[&str] = &["AN", "BU", "FA", "JI", "XO", "NG", "NW", "QA", "SA", "SI", "SU", "TO", "QR", "TK"];
const DESTINATIONS: &[&str] = &["RU", "KR", "KZ", "GB", "TR", "PL", "LT", "DE", "LV", "IL", "JP", "AE"];
const SERIES: &[&str] = &["AA", "AB", "AC", "AD", "AE"];
const OPERATORS: &[&str] = &["90", "91", "93", "94", "95", "97", "98", "99", "88", "33", "50", "77"];

/// The path a worker walks, and the share of demo workers that stop at each step (percent).
const PIPELINE: &[(Status, u32)] = &[
    (Status::Registered, 38),
    (Status::InTraining, 14),
    (Status::Certified, 10),
    (Status::ContractSigned, 8),
    (Status::ContractRegistered, 7),
    (Status::Departed, 12),
    (Status::Returned, 5),
];

const REASONS: &[(Status, &str)] = &[
    (Status::InTraining, "enrolled in the pre-departure course"),
    (Status::Certified, "passed the course"),
    (Status::ContractSigned, "signed with the employer"),
    (Status::ContractRegistered, "registered in Labor-migration"),
    (Status::Departed, "departed"),
    (Status::Returned, "contract completed"),
    (Status::Withdrawn, "changed his mind"),
    (Status::Rejected, "medical check failed"),
];

fn reason(s: Status) -> &'static str {
    REASONS.iter().find(|(x, _)| *x == s).map(|(_, r)| *r).unwrap_or("")
}

/// One synthetic worker number `n` (unique across runs because `n` continues from the
/// current maximum id).
pub fn worker(rng: &mut fastrand::Rng, n: u64, today: NaiveDate) -> BulkWorker {
    let female = rng.u8(0..100) < 22;
    let sex = if female { Sex::F } else { Sex::M };
    let (sur, sur_c) = SURNAMES[rng.usize(0..SURNAMES.len())];
    let (first, first_c) = if female { FEMALE[rng.usize(0..FEMALE.len())] } else { MALE[rng.usize(0..MALE.len())] };
    let (father, father_c) = MALE[rng.usize(0..MALE.len())];
    let (last_name, last_name_c) =
        if female { (format!("{sur}a"), format!("{sur_c}а")) } else { (sur.to_string(), sur_c.to_string()) };
    let (suffix, suffix_c) = if female { ("qizi", "қизи") } else { ("oʻgʻli", "ўғли") };

    // Ages 19-55. The day is chosen so that workers n and n + 1,000,000 (same district and
    // serial below) can never share a birth date, which keeps every PINFL unique.
    let span = 36 * 365 / 8;
    let days = 19 * 365 + i64::from(rng.u32(0..span)) * 8 + (n / 1_000_000 % 8) as i64;
    let birth = today - Duration::days(days);
    let pinfl = make_pinfl(birth, sex, (n / 1000 % 1000) as u16, (n % 1000) as u16);
    let series = SERIES[(n / 10_000_000) as usize % SERIES.len()];
    let passport = format!("{series}{:07}", n % 10_000_000);
    let phone = format!("+998{}{:07}", OPERATORS[rng.usize(0..OPERATORS.len())], rng.u32(0..10_000_000));

    // Status: along the pipeline, with some side exits.
    let roll = rng.u32(0..100);
    let (status, moves) = if roll >= 94 {
        let exit = if roll >= 97 { Status::Rejected } else { Status::Withdrawn };
        (exit, vec![(Status::Registered.code(), exit.code(), reason(exit))])
    } else {
        let mut acc = 0;
        let stop = PIPELINE.iter().position(|(_, share)| {
            acc += share;
            roll < acc
        });
        let stop = stop.unwrap_or(0);
        let moves = PIPELINE[..=stop].windows(2).map(|w| (w[0].0.code(), w[1].0.code(), reason(w[1].0))).collect();
        (PIPELINE[stop].0, moves)
    };

    // A worker with a contract has a passport that outlasts it (the contract rules check it).
    let placed =
        matches!(status, Status::ContractSigned | Status::ContractRegistered | Status::Departed | Status::Returned);
    let issued_years = if placed { rng.i64(0..2) } else { rng.i64(0..9) };
    let issued = (today - Duration::days(issued_years * 365 + i64::from(rng.u32(0..300)) + 30))
        .max(birth + Duration::days(16 * 365));
    let expiry = NaiveDate::from_ymd_opt(issued.year() + 10, issued.month(), issued.day().min(28)).unwrap_or(issued)
        - Duration::days(1);
    BulkWorker {
        data: WorkerData {
            last_name,
            first_name: first.to_string(),
            patronymic: Some(format!("{father} {suffix}")),
            last_name_cyrillic: Some(last_name_c),
            first_name_cyrillic: Some(first_c.to_string()),
            patronymic_cyrillic: Some(format!("{father_c} {suffix_c}")),
            birth_date: birth.format("%Y-%m-%d").to_string(),
            sex: sex.code().to_string(),
            pinfl,
            passport_number: passport,
            passport_issued: issued.format("%Y-%m-%d").to_string(),
            passport_expiry: expiry.format("%Y-%m-%d").to_string(),
            phone: Some(phone),
            region: REGIONS[rng.usize(0..REGIONS.len())].to_string(),
            destination_country: (placed || rng.u8(0..10) > 0)
                .then(|| DESTINATIONS[rng.usize(0..DESTINATIONS.len())].to_string()),
            notes: None,
        },
        status: status.code(),
        moves,
        placement: placed.then(|| Placement {
            stage: status,
            signed_days_ago: i64::from(rng.u32(20..200)),
            underpaid: rng.u8(0..20) == 0,
            consulting_fee: rng.u8(0..3) == 0,
        }),
        consent: ConsentData {
            given_on: (today - Duration::days(i64::from(rng.u32(1..400)))).format("%Y-%m-%d").to_string(),
            purpose: "Employment abroad through the agency: selection, pre-departure training, placement".into(),
            valid_until: (today + Duration::days(i64::from(rng.u32(200..900)))).format("%Y-%m-%d").to_string(),
            may_transfer_abroad: placed || rng.u8(0..10) > 0,
            data_list: DEFAULT_DATA_LIST.into(),
        },
    }
}

/// One partner and one job order per destination: (country, city, employer, position,
/// salary, currency, hours a week).
const PARTNERS: &[(&str, &str, &str, &str, &str, &str, &str)] = &[
    ("RU", "Moskva", "Demo partner: StroyInvest", "Construction worker", "90000", "RUB", "48"),
    ("KR", "Ulsan", "Demo partner: Hanil Shipbuilding", "Welder", "2300000", "KRW", "40"),
    ("KZ", "Almaty", "Demo partner: Dala Agro", "Seasonal farm worker", "300000", "KZT", "45"),
    ("GB", "Kent", "Demo partner: Orchard Fields", "Fruit picker", "2200", "GBP", "39"),
    ("TR", "Istanbul", "Demo partner: Anka Tekstil", "Sewing machine operator", "30000", "TRY", "45"),
    ("PL", "Poznań", "Demo partner: Wielkopolska Logistics", "Warehouse worker", "5000", "PLN", "40"),
    ("LT", "Vilnius", "Demo partner: Baltic Haulage", "Truck driver", "1800", "EUR", "40"),
    ("DE", "Hamburg", "Demo partner: Nordpflege", "Care assistant", "2500", "EUR", "40"),
    ("LV", "Riga", "Demo partner: Daugava Build", "Carpenter", "1400", "EUR", "40"),
    ("IL", "Haifa", "Demo partner: Galil Farms", "Agricultural worker", "7000", "ILS", "43"),
    ("JP", "Nagoya", "Demo partner: Chubu Auto Parts", "Assembly line worker", "220000", "JPY", "40"),
    ("AE", "Dubai", "Demo partner: Gulf Towers", "Electrician", "4000", "AED", "48"),
];

/// The demo partners' job orders by country, creating them (through the same checked
/// services as the window) on the first demo run.
async fn partner_jobs(desk: &Desk, actor: &str) -> Result<Vec<crate::placement::records::Job>> {
    use crate::placement::{EmployerInput, JobInput};
    let today = desk.clock.today();
    let existing = desk.store.employers(Some("Demo partner"), false).await?;
    if existing.is_empty() {
        for (country, city, name, position, salary, currency, hours) in PARTNERS {
            let s = |v: &str| Some(v.to_string());
            let e = desk
                .add_employer(
                    &EmployerInput {
                        name: s(name),
                        country: s(country),
                        city: s(city),
                        cooperation_number: s(&format!("COOP-{country}-2024")),
                        cooperation_signed_on: s(&(today - Duration::days(3 * 365)).format("%Y-%m-%d").to_string()),
                        cooperation_valid_until: s(&(today + Duration::days(3 * 365)).format("%Y-%m-%d").to_string()),
                        ..Default::default()
                    },
                    actor,
                )
                .await?;
            let paid = s("employer");
            desk.add_job(
                &JobInput {
                    employer_id: s(&e.id.to_string()),
                    position: s(position),
                    places: s("100000"),
                    country: s(country),
                    salary_amount: s(salary),
                    salary_currency: s(currency),
                    hours_per_week: s(hours),
                    term_months: s("12"),
                    housing_paid_by: paid.clone(),
                    insurance_paid_by: paid.clone(),
                    travel_paid_by: paid.clone(),
                    visa_paid_by: paid,
                    platform_reference: s(&format!("AGN-DEMO-{country}")),
                    deadline: None,
                },
                actor,
            )
            .await?;
        }
    }
    Ok(desk
        .jobs(None)
        .await?
        .into_iter()
        .map(|j| j.job)
        .filter(|j| j.employer_name.starts_with("Demo partner"))
        .collect())
}

/// The contract, journey and fees that make a placed demo worker's stage true.
fn contract_for(
    worker_id: i64,
    country: &str,
    p: &Placement,
    jobs: &[crate::placement::records::Job],
    today: NaiveDate,
) -> Option<DemoContract> {
    let job = jobs.iter().find(|j| j.country == country)?.clone();
    // Far enough back for the stage: a departure has started, a return has finished.
    let days_ago = match p.stage {
        Status::Departed => p.signed_days_ago.max(60),
        Status::Returned => p.signed_days_ago + 400,
        _ => p.signed_days_ago,
    };
    let signed = today - Duration::days(days_ago);
    let starts = signed + Duration::days(30);
    let ends = crate::placement::add_months(starts, job.term_months) - Duration::days(1);
    let d = |x: NaiveDate| x.format("%Y-%m-%d").to_string();
    let (status, registered, journey) = match p.stage {
        Status::ContractSigned => ("signed", None, None),
        Status::ContractRegistered => ("registered", Some(d(signed + Duration::days(7))), None),
        Status::Departed => ("active", Some(d(signed + Duration::days(7))), Some((d(starts), None))),
        _ => ("completed", Some(d(signed + Duration::days(7))), Some((d(starts), Some(d(ends))))),
    };
    let mut fees = vec![("employer", "placement", 300_000_000, "UZS")];
    if p.consulting_fee {
        fees.push(("worker", "consulting", 30_000_000, "UZS"));
    }
    let salary_minor = if p.underpaid { job.salary_minor * 4 / 5 } else { job.salary_minor };
    Some(DemoContract {
        worker_id,
        signed_on: d(signed),
        starts_on: d(starts),
        ends_on: d(ends),
        salary_minor,
        status,
        registered_on: registered,
        journey,
        fees,
        job,
    })
}

/// Demo colleagues of every role (staff `demo.staff`, viewer `demo.viewer`), created once,
/// with the given password.
pub async fn users(desk: &Desk, admin: &Session, password: String) -> Result<()> {
    let existing = desk.users().await?;
    for (login, name, role) in [("demo.staff", "Aziza Karimova", "staff"), ("demo.viewer", "Bobur Nazarov", "viewer")] {
        if existing.iter().any(|u| u.login == login) {
            continue;
        }
        let input =
            UserInput { login: login.into(), full_name: name.into(), role: role.into(), password: password.clone() };
        desk.add_user(&input, admin).await?;
    }
    Ok(())
}

/// Adds `count` synthetic workers, committing every 50,000 so a huge demo does not hold
/// one giant transaction. Returns how many were made.
pub async fn fill(desk: &Desk, count: u32, seed: u64, actor: &str) -> Result<u32> {
    const BATCH: u32 = 50_000;
    let mut rng = fastrand::Rng::with_seed(seed);
    let today = desk.clock.today();
    let now = crate::clock::stamp(desk.clock.now());
    let jobs = partner_jobs(desk, actor).await?;
    let training = DemoTraining::new(desk, actor).await?;
    let mut made = 0;
    while made < count {
        let n = BATCH.min(count - made);
        let mut tx = desk.store.write().await?;
        let start: i64 = crate::store::workers::next_id(&mut tx).await?;
        let rows: Vec<BulkWorker> = (0..u64::from(n)).map(|i| worker(&mut rng, start as u64 + i, today)).collect();
        insert_many(&mut tx, start, &rows, &now, actor).await?;
        let placed: Vec<DemoContract> = rows
            .iter()
            .enumerate()
            .filter_map(|(i, w)| {
                let p = w.placement.as_ref()?;
                contract_for(start + i as i64, w.data.destination_country.as_deref()?, p, &jobs, today)
            })
            .collect();
        pq::insert_demo(&mut tx, &placed, &now, actor).await?;
        let cohorts = training.cohorts(&mut tx, start, &rows, &mut rng).await?;
        crate::store::training::insert_demo(&mut tx, &cohorts, &now, actor).await?;
        // One entry per batch keeps a million-worker demo fast; the workers' own history
        // says who created them.
        let entry = Entry::new(&now, actor, "demo").changes(
            serde_json::json!({"workers": n, "first_id": start, "last_id": start + i64::from(n) - 1, "seed": seed}),
        );
        audit::append(&mut tx, &entry).await?;
        tx.commit().await?;
        made += n;
    }
    Ok(made)
}

/// The demo's training: one general course; workers past training hold a certificate
/// issued before their contract (so every departure had one), those in training sit in a
/// cohort running now.
struct DemoTraining {
    course_id: i64,
    validity_months: i64,
    keys: crate::certificates::signing::Keys,
    key_id: String,
    licence: String,
    prefix: String,
    course_en: String,
    today: NaiveDate,
}

impl DemoTraining {
    async fn new(desk: &Desk, actor: &str) -> Result<DemoTraining> {
        let name_en = "Pre-departure orientation (general)";
        let course = match desk.courses().await?.into_iter().find(|c| c.course.name_en == name_en) {
            Some(c) => c,
            None => {
                let s = |v: &str| Some(v.to_string());
                desk.add_course(
                    &crate::training::CourseInput {
                        name_uz: s("Xorijga ketish oldidan umumiy tayyorgarlik"),
                        name_uz_cyrl: s("Хорижга кетиш олдидан умумий тайёргарлик"),
                        name_ru: s("Общая предвыездная подготовка"),
                        name_en: s(name_en),
                        hours: s("24"),
                        pass_mark: s("60"),
                        min_attendance_percent: s("80"),
                        validity_months: s("24"),
                        modules: None,
                        countries: None,
                    },
                    actor,
                )
                .await?
            }
        };
        let keys = desk.keys().await?;
        let key_id = crate::certificates::signing::key_id(&keys.public());
        let licence = desk.store.agency().await?.map(|a| a.licence_number).unwrap_or_default();
        let prefix = desk.certificate_config().await?.prefix;
        Ok(DemoTraining {
            course_id: course.course.id,
            validity_months: course.course.validity_months,
            keys,
            key_id,
            licence,
            prefix,
            course_en: course.course.name_en,
            today: desk.clock.today(),
        })
    }

    /// Cohorts for one batch of demo workers (ids from `start`): one per week of issue.
    async fn cohorts(
        &self,
        conn: &mut sqlx::SqliteConnection,
        start: i64,
        rows: &[BulkWorker],
        rng: &mut fastrand::Rng,
    ) -> Result<Vec<crate::store::training::DemoCohort>> {
        use crate::certificates::signing::Record;
        use crate::store::training::{DemoCertificate, DemoCohort, DemoTrainee};
        use std::collections::BTreeMap;
        let d = |x: NaiveDate| x.format("%Y-%m-%d").to_string();
        let today = self.today;
        // The cohort running now.
        let current_dates = [today - Duration::days(6), today - Duration::days(2), today + Duration::days(3)];
        let mut current = DemoCohort {
            course_id: self.course_id,
            starts_on: d(current_dates[0]),
            ends_on: d(current_dates[2]),
            sessions: current_dates.iter().map(|x| d(*x)).collect(),
            trainees: Vec::new(),
        };
        // Finished cohorts by the Monday of the week they ended.
        let mut done: BTreeMap<NaiveDate, DemoCohort> = BTreeMap::new();
        let mut serials: BTreeMap<i64, i64> = BTreeMap::new();
        for (i, w) in rows.iter().enumerate() {
            let id = start + i as i64;
            let stage = Status::parse(w.status).unwrap_or(Status::Registered);
            if stage == Status::InTraining {
                let present = vec![Some(rng.u8(0..10) > 0), Some(rng.u8(0..10) > 0), None];
                current.trainees.push(DemoTrainee { worker_id: id, present, score: None, certificate: None });
                continue;
            }
            let passed = matches!(
                stage,
                Status::Certified
                    | Status::ContractSigned
                    | Status::ContractRegistered
                    | Status::Departed
                    | Status::Returned
            );
            if !passed {
                continue;
            }
            // Issued before the contract was signed (or recently, for the certified).
            let issued = match &w.placement {
                Some(p) => {
                    let back = match p.stage {
                        Status::Departed => p.signed_days_ago.max(60),
                        Status::Returned => p.signed_days_ago + 400,
                        _ => p.signed_days_ago,
                    };
                    today - Duration::days(back + 10)
                }
                None => today - Duration::days(i64::from(rng.u32(3..40))),
            };
            let ends = issued - Duration::days(2);
            let monday = ends - Duration::days(i64::from(ends.weekday().num_days_from_monday()));
            let cohort = done.entry(monday).or_insert_with(|| {
                let days = [monday - Duration::days(11), monday - Duration::days(7), monday];
                DemoCohort {
                    course_id: self.course_id,
                    starts_on: d(days[0]),
                    ends_on: d(days[2]),
                    sessions: days.iter().map(|x| d(*x)).collect(),
                    trainees: Vec::new(),
                }
            });
            let score = i64::from(rng.u8(62..100));
            let year = i64::from(issued.year());
            let serial = match serials.get(&year) {
                Some(s) => *s,
                None => crate::store::training::next_serial(conn, &self.prefix, year).await?,
            };
            serials.insert(year, serial + 1);
            let number = format!("{}-{year}-{serial:06}", self.prefix);
            let valid_until = crate::placement::add_months(issued, self.validity_months);
            let initial = |s: &str| s.chars().next().map(|c| format!(" {c}.")).unwrap_or_default();
            let holder = format!(
                "{}{}{}",
                w.data.last_name,
                initial(&w.data.first_name),
                w.data.patronymic.as_deref().map(initial).unwrap_or_default()
            );
            let record = Record {
                number: number.clone(),
                licence_number: self.licence.clone(),
                course: self.course_en.clone(),
                starts_on: cohort.starts_on.clone(),
                ends_on: cohort.ends_on.clone(),
                issued_on: d(issued),
                valid_until: d(valid_until),
                score,
                holder,
                // Synthetic people: no PINFL to protect, and the slow hash would cost the
                // demo minutes per 10,000 certificates.
                pinfl_hash: String::new(),
                key_id: self.key_id.clone(),
            }
            .sign(&self.keys.signing);
            cohort.trainees.push(DemoTrainee {
                worker_id: id,
                present: vec![Some(true); 3],
                score: Some(score),
                certificate: Some(DemoCertificate {
                    number,
                    prefix: self.prefix.clone(),
                    year,
                    serial,
                    issued_on: d(issued),
                    valid_until: d(valid_until),
                    destination: w.data.destination_country.clone(),
                    record,
                }),
            });
        }
        let mut out: Vec<DemoCohort> = done.into_values().collect();
        if !current.trainees.is_empty() {
            out.push(current);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::validate::validate;
    use crate::roster::WorkerInput;

    #[test]
    fn demo_workers_pass_the_same_validation_as_typed_ones() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).expect("date");
        let mut rng = fastrand::Rng::with_seed(7);
        for n in [1u64, 2, 999, 1_000_001, 5_000_000, 12_345_678] {
            let w = worker(&mut rng, n, today);
            let d = &w.data;
            let input = WorkerInput {
                last_name: Some(d.last_name.clone()),
                first_name: Some(d.first_name.clone()),
                patronymic: d.patronymic.clone(),
                last_name_cyrillic: d.last_name_cyrillic.clone(),
                first_name_cyrillic: d.first_name_cyrillic.clone(),
                patronymic_cyrillic: d.patronymic_cyrillic.clone(),
                birth_date: Some(d.birth_date.clone()),
                sex: Some(d.sex.clone()),
                pinfl: Some(d.pinfl.clone()),
                passport_number: Some(d.passport_number.clone()),
                passport_issued: Some(d.passport_issued.clone()),
                passport_expiry: Some(d.passport_expiry.clone()),
                phone: d.phone.clone(),
                region: Some(d.region.clone()),
                destination_country: d.destination_country.clone(),
                notes: None,
                consent: None,
            };
            let c = validate(&input, today);
            assert!(c.problems.iter().all(|p| !p.is_error()), "{n}: {:?}", c.problems);
            assert_eq!(c.data.as_ref(), Some(d));
        }
    }
}
