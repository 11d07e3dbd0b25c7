//! Realistic synthetic workers for demos and benchmarks: valid PINFLs, names in both
//! scripts, every region and every status. Deterministic for a seed.

use crate::accounts::{Session, UserInput};
use crate::audit::{self, Entry};
use crate::error::Result;
use crate::roster::consent::{ConsentData, DEFAULT_DATA_LIST};
use crate::roster::identity::{make_pinfl, Sex};
use crate::roster::service::Desk;
use crate::roster::status::Status;
use crate::roster::WorkerData;
use crate::store::workers::{insert_many, BulkWorker};
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
    let issued_years = rng.i64(0..9);
    let issued = (today - Duration::days(issued_years * 365 + i64::from(rng.u32(0..300)) + 30))
        .max(birth + Duration::days(16 * 365));
    let expiry = NaiveDate::from_ymd_opt(issued.year() + 10, issued.month(), issued.day().min(28)).unwrap_or(issued)
        - Duration::days(1);
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
            destination_country: (rng.u8(0..10) > 0)
                .then(|| DESTINATIONS[rng.usize(0..DESTINATIONS.len())].to_string()),
            notes: None,
        },
        status: status.code(),
        moves,
        consent: ConsentData {
            given_on: (today - Duration::days(i64::from(rng.u32(1..400)))).format("%Y-%m-%d").to_string(),
            purpose: "Employment abroad through the agency: selection, pre-departure training, placement".into(),
            valid_until: (today + Duration::days(i64::from(rng.u32(200..900)))).format("%Y-%m-%d").to_string(),
            may_transfer_abroad: rng.u8(0..10) > 0,
            data_list: DEFAULT_DATA_LIST.into(),
        },
    }
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
    let mut made = 0;
    while made < count {
        let n = BATCH.min(count - made);
        let mut tx = desk.store.write().await?;
        let start: i64 = crate::store::workers::next_id(&mut tx).await?;
        let rows: Vec<BulkWorker> = (0..u64::from(n)).map(|i| worker(&mut rng, start as u64 + i, today)).collect();
        insert_many(&mut tx, start, &rows, &now, actor).await?;
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
