//! Where a lead is and what its company is: geography, industry, the true
//! role behind the title, company size and IT team, the company's name, and
//! the email address they signed up with (its kind follows the company's).

use super::identity::Identity;
use super::lead::{Company, Email, Num};
use super::rng::{Rng, exp_det, ln_det};
use super::vocabularies::{
    Area, COMPETITORS, COUNTRIES, FAKE_EMAILS, Industry, JUNK_LOCALS, Kind, PERSONAL_DOMAINS,
    PREFIXES, Role, THROWAWAY,
};

#[derive(Clone, Copy)]
pub(super) struct Firmographics {
    pub(super) country: &'static str,
    pub(super) area: Area,
    pub(super) tld: &'static str,
    pub(super) region: &'static str,
    /// The true industry (what the outcome model uses) and its spelling in the CRM.
    pub(super) industry_kind: Industry,
    pub(super) industry: &'static str,
    pub(super) role: Role,
    pub(super) title: &'static str,
    /// The true sizes (what the outcome model uses) and the columns' values.
    pub(super) true_employees: u32,
    pub(super) true_it: u32,
    pub(super) employees: Num,
    pub(super) it_headcount: Num,
    pub(super) company: Company,
    pub(super) email: Email,
}

/// The draws after [`super::identity::identity`].
pub(super) fn firmographics(r: &mut Rng, who: &Identity) -> Firmographics {
    let Identity { kind, last, .. } = *who;
    // Geography.
    let (mut country, area, tld) = r.weighted(COUNTRIES);
    let region = if r.chance(0.06) { "" } else { area.name() };
    if r.chance(0.03) {
        country = "";
    }

    // Who they are.
    let industry_kind = match kind {
        Kind::Business => r.weighted(&[
            (Industry::Finance, 16),
            (Industry::Health, 13),
            (Industry::Government, 6),
            (Industry::Energy, 5),
            (Industry::Manufacturing, 12),
            (Industry::Retail, 9),
            (Industry::Technology, 15),
            (Industry::Education, 5),
            (Industry::Professional, 7),
            (Industry::Legal, 3),
            (Industry::Logistics, 4),
            (Industry::Other, 4),
            (Industry::Individual, 1),
        ]),
        Kind::Student => Industry::Education,
        Kind::Competitor => Industry::Technology,
        Kind::Fake => r.weighted(&[
            (Industry::Unknown, 3),
            (Industry::Other, 1),
            (Industry::Technology, 1),
        ]),
    };
    // The CRM field is optional: some leads never say.
    let industry_shown = if kind == Kind::Business && r.chance(0.05) {
        Industry::Unknown
    } else {
        industry_kind
    };
    let mut industry = r.weighted(industry_shown.spellings());
    if kind == Kind::Student && r.chance(0.3) {
        industry = r.one(&["", "Student", "Select"]);
    }

    let role = match kind {
        Kind::Business if industry_kind == Industry::Individual => r.weighted(&[
            (Role::NonBuyer, 5),
            (Role::Practitioner, 3),
            (Role::NoTitle, 2),
        ]),
        Kind::Business => r.weighted(&[
            (Role::CLevel, 10),
            (Role::Vp, 10),
            (Role::Director, 15),
            (Role::Manager, 25),
            (Role::Practitioner, 28),
            (Role::NonBuyer, 8),
            (Role::NoTitle, 4),
        ]),
        Kind::Student => Role::Student,
        Kind::Competitor => r.weighted(&[
            (Role::Practitioner, 6),
            (Role::Manager, 3),
            (Role::Director, 1),
        ]),
        Kind::Fake => r.weighted(&[(Role::NoTitle, 6), (Role::CLevel, 2), (Role::NonBuyer, 2)]),
    };
    let title = match (kind, r.below(4)) {
        (Kind::Fake, 0) => "test",
        (Kind::Fake, 1) => "asdf",
        _ => r.weighted(role.titles()),
    };

    // Size: log-normal employees, and an IT team whose share of staff
    // varies a lot (security maturity), so IT headcount carries signal of
    // its own.
    let true_employees: u32 = match (kind, industry_kind) {
        (Kind::Student, _) => 2000 + r.below(30_000) as u32,
        (_, Industry::Individual) => 1 + r.below(4) as u32,
        _ => {
            let e = exp_det(ln_det(350.0) + 1.6 * r.normal());
            (e as u32).clamp(1, 150_000)
        }
    };
    let true_it = {
        let ratio = exp_det(ln_det(0.03) + 0.7 * r.normal());
        ((true_employees as f64 * ratio) as u32).min(true_employees)
    };
    let employees = match kind {
        Kind::Fake => Num::Blank,
        Kind::Student if r.chance(0.6) => Num::Blank,
        _ => match r.below(100) {
            0..=4 => Num::Blank,
            5..=7 => Num::Na,
            _ => Num::Value(true_employees),
        },
    };
    let it_headcount = match kind {
        Kind::Fake | Kind::Student => Num::Blank,
        _ if r.chance(0.33) => Num::Blank,
        _ => Num::Value(true_it),
    };

    let company = match kind {
        Kind::Business if industry_kind == Industry::Individual => {
            if r.chance(0.5) {
                Company::Fixed(r.one(&["", "Self", "N/A", "Freelance"]))
            } else {
                Company::Named {
                    prefix: last,
                    suffix: r.one(industry_kind.company_suffixes()),
                    legal: "",
                }
            }
        }
        Kind::Business => Company::Named {
            prefix: r.one(PREFIXES),
            suffix: r.one(industry_kind.company_suffixes()),
            legal: r.one(area.legal_forms()),
        },
        Kind::Student => {
            if r.chance(0.2) {
                Company::Fixed(r.one(&["", "N/A", "None"]))
            } else {
                Company::University {
                    prefix: r.one(PREFIXES),
                    form: r.below(3) as u8,
                }
            }
        }
        // Named after the email domain, below.
        Kind::Competitor => Company::Fixed(""),
        Kind::Fake => Company::Fixed(r.one(&["", "test", "asdf", "Test Company", "xyz", "N/A"])),
    };

    let style = r.below(4) as u8;
    let personal = kind == Kind::Business
        && r.chance(if industry_kind == Industry::Individual {
            0.7
        } else {
            0.08
        });
    let email = match kind {
        _ if kind != Kind::Fake && r.chance(0.02) => Email::Blank,
        Kind::Business if personal => Email::Personal {
            style,
            domain: r.one(PERSONAL_DOMAINS),
        },
        Kind::Business => Email::Work {
            style,
            caps: r.chance(0.05),
        },
        Kind::Student => {
            if r.chance(0.6) {
                Email::Edu { style }
            } else {
                Email::Personal {
                    style,
                    domain: r.one(PERSONAL_DOMAINS),
                }
            }
        }
        Kind::Competitor => {
            let (_, domain) = r.one(COMPETITORS);
            Email::Competitor { style, domain }
        }
        Kind::Fake => {
            if r.chance(0.6) {
                Email::Fixed(r.one(FAKE_EMAILS))
            } else {
                Email::Throwaway {
                    local: r.one(JUNK_LOCALS),
                    domain: r.one(THROWAWAY),
                }
            }
        }
    };
    // A competitor's company is the one its email domain belongs to.
    let company = match (kind, email) {
        (Kind::Competitor, Email::Competitor { domain, .. }) => Company::Fixed(
            COMPETITORS
                .iter()
                .find(|c| c.1 == domain)
                .map_or("", |c| c.0),
        ),
        _ => company,
    };
    let tld = if industry_kind == Industry::Government && area == Area::NorthAmerica {
        ".gov"
    } else {
        tld
    };

    Firmographics {
        country,
        area,
        tld,
        region,
        industry_kind,
        industry,
        role,
        title,
        true_employees,
        true_it,
        employees,
        it_headcount,
        company,
        email,
    }
}
