//! The synthetic lead generator behind `leadlab sample` and the bundled
//! example (`samples/cybersecurity-leads.csv` is `generate(5000, 1)`).
//!
//! It writes inbound B2B leads of a cybersecurity services firm (managed
//! detection and response, penetration testing, security consulting,
//! incident response retainers, awareness training) shaped like a CRM
//! export: free-text job titles in many spellings, industries in mixed case
//! and synonyms, blanks and CRM placeholders (`Select`, `N/A`, `-`), a few
//! duplicate ids, fake and competitor emails, dates over two quarters
//! (2026-05-01 to 2026-10-31, some with a time suffix) and about 5% open
//! leads (blank outcome), most of them created in the last four weeks.
//!
//! # Columns
//!
//! | header | type | notes |
//! |---|---|---|
//! | Lead ID | text | `L-000001`…; about 0.3% of rows reuse an earlier id |
//! | Created Date | date | 20% with a ` HH:MM:SS` suffix; fewer leads at weekends |
//! | Email | text | work, personal (gmail…), student `.edu`, fake, competitor, 2% blank |
//! | Job Title | text | free text, many spellings of the same role, some blank / `-` / `N/A` |
//! | Company | text | some with `, Inc.` (quoted) |
//! | Industry | text | mixed case and synonyms (`Financial Services`, `financial services`, `Banking`, `FinServ`…), `Select`, `-`, blank |
//! | Employees | number | blank or `N/A` when unknown |
//! | IT Headcount | number | blank for about a third of leads |
//! | Country | text | `United States`, `USA`, `US`, `UK`… |
//! | Region | text | `North America`, `EMEA`, `APAC`, `LATAM`, sometimes blank |
//! | Lead Source | text | Organic Search, Paid Search, Referral, Partner, Webinar, Content Syndication… |
//! | Service Interest | text | `Managed Detection & Response`, `MDR`, `Penetration Testing`, `Pen Test`, … , `Select` |
//! | Demo Requested | bool | `Yes`/`No` |
//! | Contact Form Submitted | bool | `Yes`/`No` |
//! | Pricing Page Views | number | |
//! | Last Pricing View | date | blank without a view |
//! | Service Page Views, Case Study Views | number | |
//! | Webinar Attended | bool | `TRUE`/`FALSE` |
//! | Content Downloads, Email Opens, Email Clicks | number | |
//! | Last Email Click | date | blank without a click |
//! | Compliance Framework | text | `PCI DSS`, `HIPAA`, `SOC 2`, `ISO 27001`, … , `None`, `Not sure`, `Select`, blank |
//! | Current SIEM | text | `Splunk`, `Microsoft Sentinel`, … , `None`, `Don't know`, blank |
//! | Purchase Timeline | text | `This quarter`, `Next quarter`, `6-12 months`, `Just researching`, `Select`, blank |
//! | Security Incident (Last 12 Months) | bool | `Yes`/`No`, blank when the form field was skipped |
//! | Unsubscribed | bool | `true`/`false` |
//! | Last Activity Date | date | some with a time suffix |
//! | Converted | bool | `Yes`/`No`, blank for open leads |
//!
//! # The true drivers (hidden from the bundled ruleset on purpose)
//!
//! Each lead's outcome is drawn from a logistic propensity model, so that the
//! bundled `rulesets/cybersecurity.toml` is good but visibly imperfect and a
//! calibration session really improves it. On the log-odds scale, from an
//! intercept of −5.8 (base rate about 13% among closed leads):
//!
//! - **Competitors, fake/test sign-ups and students never convert.**
//! - **Fit**: IT headcount is the strongest fit signal (+1.2 per factor of
//!   ten of the *true* headcount + 1, also when the column is blank); company
//!   size adds little beyond it (+0.2 mid-market 200–4,999, −0.4 under 50,
//!   −1.2 under 10). Seniority of the true role behind the title: VP +0.6,
//!   director +0.5, C-level +0.3, manager +0.2, practitioner −0.2,
//!   non-buyers (marketing, office manager…) −0.6, no title −0.3. Regulated
//!   industries +0.3, education −0.4, individuals −1.5. Region: North America
//!   +0.15, EMEA +0.05, APAC −0.4, LATAM −0.6.
//! - **Lead source**, which the ruleset ignores: referral +1.0, partner +0.6,
//!   direct +0.2, trade show −0.1, outbound −0.3, content syndication −0.7.
//! - **Intent**: demo request +1.6 (+0.4 more from a director, VP or
//!   C-level), contact form +0.7, +0.3 per pricing page view (up to 4), +0.2
//!   per case study view (up to 3), +0.15 per email click (up to 3), +0.05 per
//!   service page view (up to 6) and per download (up to 3), email opens
//!   nothing. **Webinar attendance +0.05: barely predictive** (attendance is
//!   driven by a factor of its own, not by buying intent); the ruleset gives
//!   it 15 points.
//! - **A security incident in the last 12 months +1.6** (+0.6 more with an
//!   incident response retainer interest), whether or not the form field was
//!   filled in; the ruleset gives it 3 points.
//! - Timeline: this quarter +1.0, next quarter +0.4, 6–12 months −0.1, just
//!   researching −0.5. A named compliance framework +0.4, +0.4 more in a
//!   regulated industry; a named SIEM +0.25, +0.3 more with an MDR interest.
//!   Service line: IR retainer +0.3, pen test +0.2, MDR +0.1, awareness
//!   training −0.4.
//! - Unsubscribed −0.8, personal email −0.5, no email −0.6.
//! - An unobserved buying intent (standard normal, ×0.7) that also raises
//!   the chance of a demo request, a contact form, pricing views and an
//!   urgent timeline, and independent noise (×0.8).
//! - Buyers keep visiting the pricing page during the sales cycle, so a
//!   converted lead's last pricing view tends to be later (which the
//!   ruleset's decay partly picks up).
//!
//! With the bundled ruleset, `generate(5000, 1)` scores an AUC of about 0.79.
//! What a review should find: `webinar-attended` (15 points) fires on about
//! a third of the leads, who convert at the base rate (lift ≈ 1.0), and
//! `content-downloads` (8) barely better; `recent-incident` (3),
//! `ir-retainer-after-incident` (5), `it-team` (3) and `it-team-large` (2)
//! fire on leads converting at 1.5–2.6 times the base rate. Setting webinar
//! to 0, incident to 15 and both IT rules to 8 lifts the AUC to about 0.82.
//!
//! # Determinism
//!
//! Every row is drawn from its own SplitMix64 stream seeded by `(seed, row)`,
//! so the output depends only on `(rows, seed)` and the first `k` rows do not
//! depend on `rows` (the 5,000-row sample is a prefix of the million-row
//! one). Floats only see `+ - * /`, `round` and our own `exp`/`ln` series
//! (no libm), so the bytes are the same on every platform and Rust version.

use std::fmt::Write as _;
use std::io::{self, Write};

/// The column headers, in output order.
pub const HEADERS: [&str; 30] = [
    "Lead ID",
    "Created Date",
    "Email",
    "Job Title",
    "Company",
    "Industry",
    "Employees",
    "IT Headcount",
    "Country",
    "Region",
    "Lead Source",
    "Service Interest",
    "Demo Requested",
    "Contact Form Submitted",
    "Pricing Page Views",
    "Last Pricing View",
    "Service Page Views",
    "Case Study Views",
    "Webinar Attended",
    "Content Downloads",
    "Email Opens",
    "Email Clicks",
    "Last Email Click",
    "Compliance Framework",
    "Current SIEM",
    "Purchase Timeline",
    "Security Incident (Last 12 Months)",
    "Unsubscribed",
    "Last Activity Date",
    "Converted",
];

/// First and last creation day of the generated leads.
pub const FIRST_DAY: &str = "2026-05-01";
pub const LAST_DAY: &str = "2026-10-31";

/// Writes `rows` synthetic leads (header first) as CSV to `out`.
///
/// The bytes depend only on `rows` and `seed`, and the first `k` rows not on
/// `rows`.
pub fn generate(rows: usize, seed: u64, out: &mut impl Write) -> io::Result<()> {
    let mut w = io::BufWriter::with_capacity(1 << 16, out);
    let mut line = String::with_capacity(1024);
    let mut cell = String::with_capacity(128);
    for h in HEADERS {
        put(&mut line, h);
    }
    end_line(&mut line);
    w.write_all(line.as_bytes())?;

    let cal = Calendar::new();
    for row in 0..rows {
        let lead = Lead::draw(seed, row as u64, &cal);
        line.clear();
        lead.write(&mut line, &mut cell);
        w.write_all(line.as_bytes())?;
    }
    w.flush()
}

// ---------------------------------------------------------------------------
// Random numbers and deterministic float helpers

/// SplitMix64: tiny, fast, and good enough for synthetic data.
struct Rng(u64);

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// An independent stream per row, so rows can be drawn in any order.
    fn for_row(seed: u64, row: u64) -> Rng {
        let s = mix(seed.wrapping_add(0x1EAD_1AB5)) ^ mix(row.wrapping_mul(GOLDEN).wrapping_add(1));
        Rng(mix(s))
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GOLDEN);
        mix(self.0)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in 0..n.
    fn below(&mut self, n: u64) -> u64 {
        ((self.next() as u128 * n as u128) >> 64) as u64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Approximately standard normal (Irwin–Hall of four uniforms): no
    /// transcendental functions, so identical everywhere.
    fn normal(&mut self) -> f64 {
        let s = self.unit() + self.unit() + self.unit() + self.unit();
        (s - 2.0) * 1.732_050_807_568_877_2
    }

    fn one<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }

    /// An item by integer weight.
    fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total: u32 = items.iter().map(|(_, w)| w).sum();
        let mut r = self.below(total as u64) as u32;
        for &(item, w) in items {
            if r < w {
                return item;
            }
            r -= w;
        }
        items[items.len() - 1].0
    }

    /// A count: 0 with probability `1 - p_any`, else 1 + geometric(`more`), at most `cap`.
    fn count(&mut self, p_any: f64, more: f64, cap: u32) -> u32 {
        if !self.chance(p_any) {
            return 0;
        }
        let mut n = 1;
        while n < cap && self.chance(more) {
            n += 1;
        }
        n
    }
}

const LN2: f64 = std::f64::consts::LN_2;

/// `e^x` from a Taylor series after range reduction: only basic IEEE
/// operations, so it rounds the same on every platform.
fn exp_det(x: f64) -> f64 {
    if x < -700.0 {
        return 0.0;
    }
    if x > 700.0 {
        return f64::INFINITY;
    }
    let k = (x / LN2).round();
    let r = x - k * LN2;
    let mut term = 1.0;
    let mut sum = 1.0;
    for n in 1..=14 {
        term *= r / n as f64;
        sum += term;
    }
    sum * f64::from_bits(((k as i64 + 1023) as u64) << 52)
}

/// Natural log for x >= 1e-300 (same reasoning as [`exp_det`]).
fn ln_det(x: f64) -> f64 {
    let bits = x.to_bits();
    let mut e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & ((1u64 << 52) - 1)) | (1023u64 << 52));
    if m > std::f64::consts::SQRT_2 {
        m /= 2.0;
        e += 1;
    }
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let mut pow = s;
    let mut sum = 0.0;
    let mut k = 1.0;
    while k < 40.0 {
        sum += pow / k;
        pow *= s2;
        k += 2.0;
    }
    e as f64 * LN2 + 2.0 * sum
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + exp_det(-z))
}

// ---------------------------------------------------------------------------
// Dates (days since 1970-01-01, proleptic Gregorian)

fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    (y, m, d)
}

fn parse_day(s: &str) -> i32 {
    let y = s[0..4].parse().unwrap_or(1970);
    let m = s[5..7].parse().unwrap_or(1);
    let d = s[8..10].parse().unwrap_or(1);
    days_from_civil(y, m, d)
}

struct Calendar {
    first: i32,
    last: i32,
}

impl Calendar {
    fn new() -> Calendar {
        Calendar {
            first: parse_day(FIRST_DAY),
            last: parse_day(LAST_DAY),
        }
    }

    fn span(&self) -> i32 {
        self.last - self.first + 1
    }
}

/// 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday).
fn weekday(day: i32) -> i32 {
    (day + 4).rem_euclid(7)
}

// ---------------------------------------------------------------------------
// Vocabulary

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Business,
    Student,
    Competitor,
    Fake,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Industry {
    Finance,
    Health,
    Government,
    Energy,
    Manufacturing,
    Retail,
    Technology,
    Education,
    Professional,
    Legal,
    Logistics,
    Other,
    Individual,
    Unknown,
}

impl Industry {
    fn regulated(self) -> bool {
        matches!(
            self,
            Industry::Finance | Industry::Health | Industry::Government | Industry::Energy
        )
    }

    /// How the CRM spells it: the canonical name most often, synonyms and
    /// case variants sometimes (some of which a rule's list will miss).
    fn spellings(self) -> &'static [(&'static str, u32)] {
        match self {
            Industry::Finance => &[
                ("Financial Services", 40),
                ("financial services", 8),
                ("Banking", 14),
                ("Insurance", 14),
                ("Finance", 8),
                ("FinServ", 4),
                ("Capital Markets", 4),
                ("FINANCIAL SERVICES", 3),
            ],
            Industry::Health => &[
                ("Healthcare", 40),
                ("healthcare", 8),
                ("Health Care", 12),
                ("Hospital & Health Care", 14),
                ("Pharmaceuticals", 7),
                ("Medical Devices", 5),
            ],
            Industry::Government => &[
                ("Government", 40),
                ("Public Sector", 20),
                ("government", 6),
                ("Government Administration", 8),
                ("Local Government", 6),
            ],
            Industry::Energy => &[
                ("Energy & Utilities", 30),
                ("Utilities", 25),
                ("Oil & Energy", 12),
                ("energy", 5),
            ],
            Industry::Manufacturing => &[
                ("Manufacturing", 50),
                ("manufacturing", 8),
                ("Industrial Automation", 6),
                ("Automotive", 6),
            ],
            Industry::Retail => &[
                ("Retail", 45),
                ("retail", 6),
                ("E-commerce", 10),
                ("Consumer Goods", 8),
            ],
            Industry::Technology => &[
                ("Technology", 30),
                ("Software", 20),
                ("Information Technology & Services", 18),
                ("Computer Software", 10),
                ("SaaS", 6),
                ("technology", 5),
            ],
            Industry::Education => &[
                ("Education", 30),
                ("Higher Education", 20),
                ("K-12 Education", 6),
            ],
            Industry::Professional => &[
                ("Professional Services", 35),
                ("Consulting", 12),
                ("Accounting", 8),
                ("professional services", 4),
            ],
            Industry::Legal => &[("Legal", 30), ("Law Practice", 12), ("Legal Services", 8)],
            Industry::Logistics => &[
                ("Transportation & Logistics", 25),
                ("Logistics", 15),
                ("Shipping", 5),
            ],
            Industry::Other => &[
                ("Media", 10),
                ("Hospitality", 8),
                ("Non-Profit", 8),
                ("Real Estate", 8),
                ("Construction", 8),
                ("Other", 12),
            ],
            Industry::Individual => &[("Individual / Consumer", 20), ("Self-employed", 6)],
            Industry::Unknown => &[("", 50), ("Select", 30), ("-", 10), ("N/A", 6)],
        }
    }

    fn company_suffixes(self) -> &'static [&'static str] {
        match self {
            Industry::Finance => &[
                "Bank",
                "Capital",
                "Financial",
                "Credit Union",
                "Insurance",
                "Wealth Partners",
                "Savings",
            ],
            Industry::Health => &[
                "Health",
                "Medical Group",
                "Clinic",
                "Health System",
                "Pharma",
                "Labs",
            ],
            Industry::Government => &[
                "County",
                "City Council",
                "Transit Authority",
                "Water District",
                "Port Authority",
            ],
            Industry::Energy => &[
                "Energy",
                "Power",
                "Utilities",
                "Renewables",
                "Gas & Electric",
            ],
            Industry::Manufacturing => &[
                "Manufacturing",
                "Industries",
                "Components",
                "Plastics",
                "Machining",
                "Motors",
            ],
            Industry::Retail => &["Retail", "Outfitters", "Market", "Stores", "Brands"],
            Industry::Technology => &[
                "Software",
                "Systems",
                "Cloud",
                "Technologies",
                "Data",
                "Networks",
            ],
            Industry::Education => &["Academy", "College", "School District", "Learning"],
            Industry::Professional => {
                &["Consulting", "Partners", "Advisors", "Group", "Accountants"]
            }
            Industry::Legal => &["Law Group", "Legal", "& Associates"],
            Industry::Logistics => &["Logistics", "Freight", "Shipping", "Transport"],
            Industry::Other | Industry::Unknown => &[
                "Media",
                "Foundation",
                "Hotels",
                "Properties",
                "Builders",
                "Group",
            ],
            Industry::Individual => &["Consulting", "Services"],
        }
    }
}

const PREFIXES: &[&str] = &[
    "Northwind",
    "Apex",
    "Bluewater",
    "Cedar",
    "Summit",
    "Ironwood",
    "Harbor",
    "Pinecrest",
    "Redwood",
    "Silverline",
    "Granite",
    "Lakeshore",
    "Meridian",
    "Oakridge",
    "Riverbend",
    "Stonebridge",
    "Westfield",
    "Brightpath",
    "Crescent",
    "Evergreen",
    "Falcon",
    "Highland",
    "Keystone",
    "Liberty",
    "Maple",
    "Northstar",
    "Pacific",
    "Quantum",
    "Sterling",
    "Trident",
    "Union",
    "Vantage",
    "Willow",
    "Atlas",
    "Beacon",
    "Cobalt",
    "Delta",
    "Everest",
    "Frontier",
    "Horizon",
    "Juniper",
    "Kingsway",
    "Lighthouse",
    "Monarch",
    "Nexus",
    "Orion",
    "Pioneer",
    "Ridgeview",
    "Sapphire",
    "Titan",
    "Vertex",
    "Windward",
    "Zenith",
    "Alder",
    "Birchwood",
    "Copperleaf",
    "Driftwood",
    "Eastgate",
    "Foxglove",
    "Greystone",
];

const FIRST_NAMES: &[&str] = &[
    "James", "Maria", "Robert", "Priya", "Michael", "Sarah", "David", "Emily", "Daniel", "Aisha",
    "Thomas", "Laura", "Kevin", "Sophie", "Carlos", "Hannah", "Wei", "Olivia", "Ahmed", "Grace",
    "Lukas", "Chloe", "Raj", "Emma", "Brian", "Fatima", "Mark", "Julia", "Sean", "Mei", "Peter",
    "Anna", "Jonas", "Elena", "Chris", "Nadia", "Paul", "Rachel", "Diego", "Ingrid",
];

const LAST_NAMES: &[&str] = &[
    "Smith", "Johnson", "Patel", "Garcia", "Miller", "Brown", "Nguyen", "Muller", "Wilson", "Khan",
    "Taylor", "Anderson", "Martin", "Lee", "Schmidt", "Clark", "Lopez", "Walker", "Young",
    "Hughes", "Kowalski", "Rossi", "Dubois", "Jansen", "Murphy", "OBrien", "Chen", "Singh",
    "Moreau", "Berg", "Fischer", "Evans", "Wright", "Silva", "Novak", "Park", "Hall", "Baker",
    "Kim", "Ahmed",
];

/// The true role behind a job title (what the propensity model uses; the
/// ruleset only sees the title text).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    CLevel,
    Vp,
    Director,
    Manager,
    Practitioner,
    NonBuyer,
    Student,
    NoTitle,
}

impl Role {
    fn titles(self) -> &'static [(&'static str, u32)] {
        match self {
            Role::CLevel => &[
                ("CISO", 20),
                ("Chief Information Security Officer", 12),
                ("ciso", 3),
                ("CIO", 10),
                ("Chief Information Officer", 6),
                ("CTO", 8),
                ("Chief Technology Officer", 4),
                ("Chief Security Officer", 4),
                ("CEO", 6),
                ("Founder & CEO", 3),
                ("President", 3),
                ("COO", 2),
                ("Chief Risk Officer", 2),
            ],
            Role::Vp => &[
                ("VP, IT", 12),
                ("VP of Information Security", 10),
                ("Vice President, Cybersecurity", 8),
                ("Head of SecOps", 8),
                ("Head of IT", 12),
                ("Head of Information Security", 10),
                ("SVP, Technology", 4),
                ("vp it", 3),
                ("Head of Infrastructure", 5),
                ("VP Technology & Security", 4),
                ("VP Engineering", 4),
            ],
            Role::Director => &[
                ("Director of IT", 16),
                ("IT Director", 16),
                ("Director, Security Operations", 8),
                ("Sr. Director, Infrastructure", 5),
                ("Dir. of Information Technology", 4),
                ("Director of Cyber Security", 8),
                ("director it", 3),
                ("Information Security Director", 6),
                ("Director - GRC", 3),
                ("IT & Security Lead", 4),
            ],
            Role::Manager => &[
                ("IT Manager", 20),
                ("it manager", 5),
                ("Security Manager", 10),
                ("SOC Manager", 6),
                ("Information Security Manager", 8),
                ("Mgr, Network Operations", 3),
                ("GRC Manager", 5),
                ("Compliance Manager", 5),
                ("IT Operations Manager", 5),
                ("Internal Audit Manager", 3),
                ("Risk Manager", 4),
                ("Security Team Lead", 4),
            ],
            Role::Practitioner => &[
                ("Sr. Security Engineer", 10),
                ("Security Engineer", 10),
                ("Security Analyst", 10),
                ("SOC Analyst II", 5),
                ("Network Engineer", 8),
                ("Systems Administrator", 8),
                ("sysadmin", 3),
                ("Security Architect", 5),
                ("DevOps Engineer", 5),
                ("IT Specialist", 6),
                ("Help Desk Technician", 4),
                ("Cloud Engineer", 4),
                ("Penetration Tester", 3),
                ("IT Administrator", 5),
                ("Infosec Analyst", 3),
            ],
            Role::NonBuyer => &[
                ("Marketing Manager", 6),
                ("Office Manager", 6),
                ("Procurement Specialist", 5),
                ("Consultant", 6),
                ("Owner", 5),
                ("Executive Assistant", 4),
                ("Sales", 4),
                ("HR Generalist", 3),
                ("Accountant", 3),
                ("International Sales Director", 2),
            ],
            Role::Student => &[
                ("Student", 20),
                ("student", 6),
                ("Graduate Student", 6),
                ("MSc Cyber Security Student", 5),
                ("Security Intern", 4),
                ("Intern", 4),
                ("PhD Candidate", 3),
                ("Job Seeker", 3),
                ("Looking for opportunities", 2),
            ],
            Role::NoTitle => &[("", 70), ("-", 15), ("N/A", 10), ("x", 5)],
        }
    }

    fn effect(self) -> f64 {
        match self {
            Role::CLevel => 0.3,
            Role::Vp => 0.6,
            Role::Director => 0.5,
            Role::Manager => 0.2,
            Role::Practitioner => -0.2,
            Role::NonBuyer => -0.6,
            Role::Student => -3.0,
            Role::NoTitle => -0.3,
        }
    }

    fn senior(self) -> bool {
        matches!(self, Role::CLevel | Role::Vp | Role::Director)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Area {
    NorthAmerica,
    Emea,
    Apac,
    Latam,
}

/// (country as typed, region, weight, email domain suffix)
const COUNTRIES: &[((&str, Area, &str), u32)] = &[
    (("United States", Area::NorthAmerica, ".com"), 30),
    (("USA", Area::NorthAmerica, ".com"), 8),
    (("US", Area::NorthAmerica, ".com"), 6),
    (("U.S.", Area::NorthAmerica, ".com"), 2),
    (("united states", Area::NorthAmerica, ".com"), 2),
    (("Canada", Area::NorthAmerica, ".ca"), 6),
    (("United Kingdom", Area::Emea, ".co.uk"), 8),
    (("UK", Area::Emea, ".co.uk"), 4),
    (("Germany", Area::Emea, ".de"), 5),
    (("France", Area::Emea, ".fr"), 3),
    (("Netherlands", Area::Emea, ".nl"), 3),
    (("Ireland", Area::Emea, ".ie"), 2),
    (("Spain", Area::Emea, ".es"), 1),
    (("Sweden", Area::Emea, ".se"), 1),
    (("United Arab Emirates", Area::Emea, ".ae"), 1),
    (("South Africa", Area::Emea, ".co.za"), 1),
    (("Australia", Area::Apac, ".com.au"), 4),
    (("Singapore", Area::Apac, ".sg"), 2),
    (("India", Area::Apac, ".in"), 3),
    (("Japan", Area::Apac, ".jp"), 1),
    (("Brazil", Area::Latam, ".com.br"), 2),
    (("Mexico", Area::Latam, ".mx"), 2),
    (("Argentina", Area::Latam, ".com.ar"), 1),
];

impl Area {
    fn name(self) -> &'static str {
        match self {
            Area::NorthAmerica => "North America",
            Area::Emea => "EMEA",
            Area::Apac => "APAC",
            Area::Latam => "LATAM",
        }
    }

    fn effect(self) -> f64 {
        match self {
            Area::NorthAmerica => 0.15,
            Area::Emea => 0.05,
            Area::Apac => -0.4,
            Area::Latam => -0.6,
        }
    }

    fn legal_forms(self) -> &'static [&'static str] {
        match self {
            Area::NorthAmerica => &["", "", ", Inc.", " Inc", " LLC", " Corp."],
            Area::Emea => &["", "", " Ltd", " GmbH", " B.V.", " plc"],
            Area::Apac => &["", " Pty Ltd", " Pte. Ltd.", " Ltd"],
            Area::Latam => &["", " S.A.", " Ltda."],
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    Organic,
    Paid,
    LinkedIn,
    Webinar,
    Referral,
    Partner,
    TradeShow,
    Syndication,
    Direct,
    Outbound,
}

impl Source {
    const ALL: &'static [(Source, u32)] = &[
        (Source::Organic, 22),
        (Source::Paid, 15),
        (Source::LinkedIn, 10),
        (Source::Webinar, 10),
        (Source::Referral, 6),
        (Source::Partner, 5),
        (Source::TradeShow, 7),
        (Source::Syndication, 12),
        (Source::Direct, 8),
        (Source::Outbound, 5),
    ];

    fn name(self) -> &'static str {
        match self {
            Source::Organic => "Organic Search",
            Source::Paid => "Paid Search",
            Source::LinkedIn => "LinkedIn Ads",
            Source::Webinar => "Webinar",
            Source::Referral => "Referral",
            Source::Partner => "Partner",
            Source::TradeShow => "Trade Show",
            Source::Syndication => "Content Syndication",
            Source::Direct => "Direct",
            Source::Outbound => "Outbound",
        }
    }

    fn effect(self) -> f64 {
        match self {
            Source::Referral => 1.0,
            Source::Partner => 0.6,
            Source::Direct => 0.2,
            Source::Outbound => -0.3,
            Source::Syndication => -0.7,
            Source::TradeShow => -0.1,
            _ => 0.0,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Service {
    Mdr,
    Pentest,
    Consulting,
    IrRetainer,
    Training,
    Unknown,
}

impl Service {
    const ALL: &'static [(Service, u32)] = &[
        (Service::Mdr, 30),
        (Service::Pentest, 22),
        (Service::Consulting, 14),
        (Service::IrRetainer, 10),
        (Service::Training, 10),
        (Service::Unknown, 14),
    ];

    fn spellings(self) -> &'static [(&'static str, u32)] {
        match self {
            Service::Mdr => &[
                ("Managed Detection & Response", 70),
                ("MDR", 20),
                ("Managed SOC", 10),
            ],
            Service::Pentest => &[
                ("Penetration Testing", 70),
                ("Pen Test", 20),
                ("Red Team", 10),
            ],
            Service::Consulting => &[
                ("Security Consulting", 70),
                ("vCISO / Advisory", 20),
                ("Risk Assessment", 10),
            ],
            Service::IrRetainer => &[("Incident Response Retainer", 80), ("IR Retainer", 20)],
            Service::Training => &[
                ("Security Awareness Training", 80),
                ("Phishing Simulation", 20),
            ],
            Service::Unknown => &[("Select", 50), ("", 40), ("Other", 10)],
        }
    }

    fn effect(self) -> f64 {
        match self {
            Service::IrRetainer => 0.3,
            Service::Pentest => 0.2,
            Service::Mdr => 0.1,
            Service::Training => -0.4,
            _ => 0.0,
        }
    }
}

const FRAMEWORKS: &[&str] = &[
    "PCI DSS",
    "HIPAA",
    "SOC 2",
    "ISO 27001",
    "NIST CSF",
    "CMMC",
    "GDPR",
    "DORA",
    "NIS2",
];
const SIEMS: &[(&str, u32)] = &[
    ("Splunk", 30),
    ("Microsoft Sentinel", 30),
    ("IBM QRadar", 10),
    ("Elastic", 10),
    ("Sumo Logic", 6),
    ("LogRhythm", 6),
    ("Other", 8),
];
const PERSONAL_DOMAINS: &[&str] = &[
    "gmail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "icloud.com",
    "aol.com",
    "protonmail.com",
];
/// Made-up competitors: the ruleset's gate lists these domains.
const COMPETITORS: &[(&str, &str)] = &[
    ("Ironveil Security", "ironveil.com"),
    ("RedMoat", "redmoat.io"),
    ("SentryForge", "sentryforge.com"),
];
const FAKE_EMAILS: &[&str] = &[
    "test@test.com",
    "asdf@asdf.com",
    "test@example.com",
    "a@a.com",
    "fake@fake.com",
    "asdf@gmail.com",
    "qwerty@qwerty.com",
    "none@none.com",
];
const THROWAWAY: &[&str] = &[
    "mailinator.com",
    "mailinator.com",
    "yopmail.com",
    "guerrillamail.com",
];
const JUNK_LOCALS: &[&str] = &["xyz", "asdfgh", "test123", "jdoe", "aaa", "sdfsdf"];

// ---------------------------------------------------------------------------
// One lead

#[derive(Clone, Copy)]
enum Company {
    Named {
        prefix: &'static str,
        suffix: &'static str,
        legal: &'static str,
    },
    University {
        prefix: &'static str,
        form: u8,
    },
    Fixed(&'static str),
}

#[derive(Clone, Copy)]
enum Email {
    Blank,
    /// `first.last@company-domain` in one of a few styles.
    Work {
        style: u8,
        caps: bool,
    },
    Personal {
        style: u8,
        domain: &'static str,
    },
    Edu {
        style: u8,
    },
    Competitor {
        style: u8,
        domain: &'static str,
    },
    Fixed(&'static str),
    Throwaway {
        local: &'static str,
        domain: &'static str,
    },
}

#[derive(Clone, Copy)]
enum Num {
    Blank,
    Na,
    Value(u32),
}

struct Lead {
    row: u64,
    id_row: u64,
    created: i32,
    created_time: Option<u32>,
    first: &'static str,
    last: &'static str,
    email: Email,
    title: &'static str,
    company: Company,
    tld: &'static str,
    industry: &'static str,
    employees: Num,
    it_headcount: Num,
    country: &'static str,
    region: &'static str,
    source: &'static str,
    service: &'static str,
    demo: bool,
    form: bool,
    pricing_views: u32,
    last_pricing: Option<i32>,
    service_views: u32,
    case_views: u32,
    webinar: bool,
    downloads: u32,
    opens: u32,
    clicks: u32,
    last_click: Option<i32>,
    compliance: &'static str,
    siem: &'static str,
    timeline: &'static str,
    incident: Option<bool>,
    unsubscribed: bool,
    last_activity: i32,
    last_activity_time: Option<u32>,
    converted: Option<bool>,
}

/// Intercept of the propensity model (sets the base rate, about 12%).
const INTERCEPT: f64 = -5.8;

impl Lead {
    fn draw(seed: u64, row: u64, cal: &Calendar) -> Lead {
        let mut r = Rng::for_row(seed, row);

        // Identity and timing.
        let id_row = if row >= 40 && r.chance(0.003) {
            row - 1 - r.below(30)
        } else {
            row
        };
        let created = {
            let pick = |r: &mut Rng| {
                // Volume grows over the two quarters: a mix of uniform and
                // later-leaning days.
                let u = if r.chance(0.7) {
                    r.unit()
                } else {
                    r.unit().max(r.unit())
                };
                cal.first + (u * cal.span() as f64) as i32
            };
            let mut d = pick(&mut r);
            if matches!(weekday(d), 0 | 6) && r.chance(0.6) {
                d = pick(&mut r);
            }
            d.min(cal.last)
        };
        let created_time = r.chance(0.2).then(|| 7 * 3600 + r.below(12 * 3600) as u32);

        let kind = r.weighted(&[
            (Kind::Business, 935),
            (Kind::Student, 30),
            (Kind::Competitor, 20),
            (Kind::Fake, 15),
        ]);
        let first = r.one(FIRST_NAMES);
        let last = r.one(LAST_NAMES);

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
            Kind::Fake => {
                Company::Fixed(r.one(&["", "test", "asdf", "Test Company", "xyz", "N/A"]))
            }
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

        let source = match kind {
            Kind::Competitor => r.weighted(&[
                (Source::Webinar, 3),
                (Source::Organic, 3),
                (Source::Direct, 2),
            ]),
            _ => r.weighted(Source::ALL),
        };
        let service_kind = r.weighted(Service::ALL);
        let service = r.weighted(service_kind.spellings());

        // Latent buying intent (drives demo, pricing, timeline and the outcome
        // itself) and engagement (drives content consumption, barely the outcome).
        let buying = r.normal();
        let engaged = 0.3 * buying + 0.95 * r.normal();
        let is_competitor = kind == Kind::Competitor;

        let demo = match kind {
            Kind::Fake => r.chance(0.25),
            Kind::Competitor => r.chance(0.05),
            _ => r.chance(sigmoid(-2.9 + 1.0 * buying)),
        };
        let form = r.chance(sigmoid(-2.1 + 0.6 * buying));
        let pricing_views = if is_competitor {
            r.count(0.8, 0.6, 12)
        } else {
            r.count(sigmoid(-1.2 + 0.9 * buying), 0.45, 15)
        };
        let service_views = r.count(sigmoid(0.3 + 0.6 * engaged), 0.6, 25);
        let case_views = r.count(sigmoid(-1.3 + 0.4 * engaged + 0.4 * buying), 0.35, 8);
        // Webinars draw a crowd of their own: attendance barely tracks intent.
        let events = r.normal();
        let webinar = if source == Source::Webinar {
            r.chance(0.8)
        } else {
            r.chance(sigmoid(
                -1.1 + 0.15 * engaged + 0.5 * events + if is_competitor { 2.0 } else { 0.0 },
            ))
        };
        let downloads = r.count(
            sigmoid(-0.4 + 0.7 * engaged + if is_competitor { 1.5 } else { 0.0 }),
            0.45,
            12,
        );
        let opens = r.count(sigmoid(1.0 + 0.8 * engaged), 0.85, 60);
        let clicks = if opens == 0 {
            0
        } else {
            r.count(sigmoid(-1.0 + 0.6 * engaged + 0.3 * buying), 0.4, 10)
        };

        // The form's timeline picklist, and what the answer is truly worth.
        let (timeline, timeline_effect) = if r.chance(0.38) {
            (r.weighted(&[("Select", 6), ("", 4)]), 0.0)
        } else {
            let t = buying + 0.8 * r.normal();
            if t > 1.3 {
                let s = r.weighted(&[
                    ("This quarter", 8),
                    ("this quarter", 1),
                    ("Within 3 months", 1),
                ]);
                (s, 1.0)
            } else if t > 0.5 {
                ("Next quarter", 0.4)
            } else if t > -0.4 {
                ("6-12 months", -0.1)
            } else {
                let s = r.weighted(&[
                    ("Just researching", 8),
                    ("Just Researching", 1),
                    ("No timeline", 1),
                ]);
                (s, -0.5)
            }
        };

        let regulated = industry_kind.regulated();
        let framework_named = r.chance(if regulated { 0.45 } else { 0.2 });
        let compliance = if framework_named {
            match industry_kind {
                Industry::Finance => r.one(&["PCI DSS", "SOC 2", "ISO 27001", "DORA", "NIST CSF"]),
                Industry::Health => r.one(&["HIPAA", "HIPAA", "SOC 2", "ISO 27001"]),
                Industry::Government => r.one(&["NIST CSF", "CMMC", "NIST CSF"]),
                _ if area == Area::Emea => r.one(&["ISO 27001", "GDPR", "NIS2", "SOC 2"]),
                _ => r.one(FRAMEWORKS),
            }
        } else {
            r.weighted(&[
                ("", 50),
                ("Select", 20),
                ("None", 15),
                ("Not sure", 10),
                ("N/A", 5),
            ])
        };
        let siem_named = r.chance(0.35 + if true_it > 20 { 0.2 } else { 0.0 });
        let siem = if siem_named {
            r.weighted(SIEMS)
        } else {
            r.weighted(&[
                ("", 50),
                ("None", 25),
                ("Don't know", 10),
                ("Select", 10),
                ("No SIEM", 5),
            ])
        };

        let incident_true = r.chance(if service_kind == Service::IrRetainer {
            0.45
        } else {
            0.12
        });
        let incident = if r.chance(0.35) {
            None
        } else {
            Some(incident_true)
        };
        let unsubscribed = r.chance(sigmoid(-2.6 - 0.6 * engaged));

        // The hidden propensity model (see the module doc).
        let converted_if_closed = match kind {
            Kind::Student | Kind::Competitor | Kind::Fake => false,
            Kind::Business => {
                let mut z = INTERCEPT;
                z += 1.2 * ln_det(true_it as f64 + 1.0) / std::f64::consts::LN_10;
                z += if true_employees < 10 {
                    -1.2
                } else if true_employees < 50 {
                    -0.4
                } else if (200..5000).contains(&true_employees) {
                    0.2
                } else {
                    0.0
                };
                z += role.effect();
                z += match industry_kind {
                    i if i.regulated() => 0.3,
                    Industry::Education => -0.4,
                    Industry::Individual => -1.5,
                    _ => 0.0,
                };
                z += area.effect();
                z += source.effect();
                z += service_kind.effect();
                if demo {
                    z += 1.6 + if role.senior() { 0.4 } else { 0.0 };
                }
                if form {
                    z += 0.7;
                }
                z += 0.3 * pricing_views.min(4) as f64;
                z += 0.2 * case_views.min(3) as f64;
                z += 0.15 * clicks.min(3) as f64;
                z += 0.05 * service_views.min(6) as f64;
                z += 0.05 * downloads.min(3) as f64;
                if webinar {
                    z += 0.05;
                }
                z += timeline_effect;
                if framework_named {
                    z += 0.4 + if regulated { 0.4 } else { 0.0 };
                }
                if siem_named {
                    z += 0.25
                        + if service_kind == Service::Mdr {
                            0.3
                        } else {
                            0.0
                        };
                }
                if incident_true {
                    z += 1.6
                        + if service_kind == Service::IrRetainer {
                            0.6
                        } else {
                            0.0
                        };
                }
                if unsubscribed {
                    z -= 0.8;
                }
                match email {
                    Email::Personal { .. } => z -= 0.5,
                    Email::Blank => z -= 0.6,
                    _ => {}
                }
                z += 0.7 * buying + 0.8 * r.normal();
                r.chance(sigmoid(z))
            }
        };

        // Activity dates, never after the export date.
        let age = cal.last - created;
        let lag = |r: &mut Rng, max: f64| -> i32 {
            let u = r.unit();
            (u * u * max) as i32
        };
        let last_pricing = (pricing_views > 0).then(|| {
            let extra = if converted_if_closed {
                7 + lag(&mut r, 50.0)
            } else {
                0
            };
            (created + lag(&mut r, 30.0) + extra).min(cal.last)
        });
        let last_click = (clicks > 0).then(|| (created + lag(&mut r, 60.0)).min(cal.last));
        let mut last_activity = created + lag(&mut r, 20.0);
        for d in [last_pricing, last_click].into_iter().flatten() {
            last_activity = last_activity.max(d);
        }
        let last_activity = last_activity.min(cal.last);
        let last_activity_time = r.chance(0.3).then(|| 6 * 3600 + r.below(16 * 3600) as u32);

        // Recent leads are often still open.
        let open = r.chance(if age < 28 { 0.3 } else { 0.01 });
        let converted = if open {
            None
        } else {
            Some(converted_if_closed)
        };

        Lead {
            row,
            id_row,
            created,
            created_time,
            first,
            last,
            email,
            title,
            company,
            tld,
            industry,
            employees,
            it_headcount,
            country,
            region,
            source: source.name(),
            service,
            demo,
            form,
            pricing_views,
            last_pricing,
            service_views,
            case_views,
            webinar,
            downloads,
            opens,
            clicks,
            last_click,
            compliance,
            siem,
            timeline,
            incident,
            unsubscribed,
            last_activity,
            last_activity_time,
            converted,
        }
    }

    /// Appends the lead as one CSV line (`cell` is scratch space).
    fn write(&self, line: &mut String, cell: &mut String) {
        let _ = write!(line, "L-{:06},", self.id_row + 1);
        put_date(line, self.created, self.created_time);
        cell.clear();
        self.write_email(cell);
        put(line, cell);
        put(line, self.title);
        cell.clear();
        match self.company {
            Company::Named {
                prefix,
                suffix,
                legal,
            } => {
                let _ = write!(cell, "{prefix} {suffix}{legal}");
            }
            Company::University { prefix, form } => {
                let _ = match form {
                    0 => write!(cell, "University of {prefix}"),
                    1 => write!(cell, "{prefix} State University"),
                    _ => write!(cell, "{prefix} College"),
                };
            }
            Company::Fixed(s) => cell.push_str(s),
        }
        put(line, cell);
        put(line, self.industry);
        put_num(line, self.employees);
        put_num(line, self.it_headcount);
        put(line, self.country);
        put(line, self.region);
        put(line, self.source);
        put(line, self.service);
        put(line, if self.demo { "Yes" } else { "No" });
        put(line, if self.form { "Yes" } else { "No" });
        let _ = write!(line, "{},", self.pricing_views);
        put_opt_date(line, self.last_pricing);
        let _ = write!(line, "{},{},", self.service_views, self.case_views);
        put(line, if self.webinar { "TRUE" } else { "FALSE" });
        let _ = write!(line, "{},{},{},", self.downloads, self.opens, self.clicks);
        put_opt_date(line, self.last_click);
        put(line, self.compliance);
        put(line, self.siem);
        put(line, self.timeline);
        put(
            line,
            match self.incident {
                Some(true) => "Yes",
                Some(false) => "No",
                None => "",
            },
        );
        put(line, if self.unsubscribed { "true" } else { "false" });
        put_date(line, self.last_activity, self.last_activity_time);
        put(
            line,
            match self.converted {
                Some(true) => "Yes",
                Some(false) => "No",
                None => "",
            },
        );
        end_line(line);
    }

    fn write_email(&self, cell: &mut String) {
        let (first, last) = (self.first, self.last);
        let lower =
            |cell: &mut String, s: &str| cell.extend(s.chars().map(|c| c.to_ascii_lowercase()));
        let local = |cell: &mut String, style: u8| match style {
            0 => {
                lower(cell, first);
                cell.push('.');
                lower(cell, last);
            }
            1 => {
                lower(cell, &first[..1]);
                lower(cell, last);
            }
            2 => lower(cell, first),
            _ => {
                lower(cell, first);
                cell.push('_');
                lower(cell, last);
            }
        };
        match self.email {
            Email::Blank => {}
            Email::Work { style, caps } => {
                if caps {
                    let _ = write!(cell, "{first}.{last}@");
                } else {
                    local(cell, style);
                    cell.push('@');
                }
                if let Company::Named { prefix, suffix, .. } = self.company {
                    for c in prefix.chars().chain(suffix.chars()) {
                        if c.is_ascii_alphanumeric() {
                            cell.push(if caps { c } else { c.to_ascii_lowercase() });
                        }
                    }
                }
                cell.push_str(self.tld);
            }
            Email::Personal { style, domain } => {
                local(cell, style);
                if style == 2 {
                    let _ = write!(cell, "{}", (self.row % 97) + 3);
                }
                cell.push('@');
                cell.push_str(domain);
            }
            Email::Edu { style } => {
                local(cell, style);
                cell.push('@');
                if let Company::University { prefix, .. } = self.company {
                    lower(cell, prefix);
                } else {
                    cell.push_str("state");
                }
                cell.push_str(".edu");
            }
            Email::Competitor { style, domain } => {
                local(cell, style);
                cell.push('@');
                cell.push_str(domain);
            }
            Email::Fixed(s) => cell.push_str(s),
            Email::Throwaway { local, domain } => {
                let _ = write!(cell, "{local}@{domain}");
            }
        }
    }
}

// ---------------------------------------------------------------------------
// CSV output

/// Appends one field and its trailing comma, quoted when it must be.
fn put(line: &mut String, s: &str) {
    let needs_quotes = s.contains([',', '"', '\n', '\r'])
        || s.starts_with(char::is_whitespace)
        || s.ends_with(char::is_whitespace);
    if needs_quotes {
        line.push('"');
        for c in s.chars() {
            if c == '"' {
                line.push('"');
            }
            line.push(c);
        }
        line.push('"');
    } else {
        line.push_str(s);
    }
    line.push(',');
}

fn put_num(line: &mut String, n: Num) {
    match n {
        Num::Blank => line.push(','),
        Num::Na => line.push_str("N/A,"),
        Num::Value(v) => {
            let _ = write!(line, "{v},");
        }
    }
}

fn put_date(line: &mut String, day: i32, time: Option<u32>) {
    let (y, m, d) = civil_from_days(day);
    let _ = write!(line, "{y:04}-{m:02}-{d:02}");
    if let Some(t) = time {
        let _ = write!(line, " {:02}:{:02}:{:02}", t / 3600, t / 60 % 60, t % 60);
    }
    line.push(',');
}

fn put_opt_date(line: &mut String, day: Option<i32>) {
    match day {
        Some(d) => put_date(line, d, None),
        None => line.push(','),
    }
}

/// Replaces the last field's comma with the line end.
fn end_line(line: &mut String) {
    line.pop();
    line.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(rows: usize, seed: u64) -> Vec<u8> {
        let mut v = Vec::new();
        generate(rows, seed, &mut v).unwrap();
        v
    }

    fn records(data: &[u8]) -> (csv::StringRecord, Vec<csv::StringRecord>) {
        let mut rd = csv::ReaderBuilder::new().from_reader(data);
        let header = rd.headers().unwrap().clone();
        let rows = rd.records().map(|r| r.unwrap()).collect();
        (header, rows)
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        assert_eq!(bytes(500, 7), bytes(500, 7));
        assert_ne!(bytes(500, 7), bytes(500, 8));
    }

    #[test]
    fn a_smaller_sample_is_a_prefix_of_a_larger_one() {
        let small = bytes(300, 3);
        let large = bytes(1000, 3);
        assert!(large.starts_with(&small));
    }

    #[test]
    fn header_and_row_count() {
        let (header, rows) = records(&bytes(1234, 1));
        assert_eq!(header.iter().collect::<Vec<_>>(), HEADERS.to_vec());
        assert_eq!(rows.len(), 1234);
        assert!(rows.iter().all(|r| r.len() == HEADERS.len()));
        let (_, none) = records(&bytes(0, 1));
        assert!(none.is_empty());
    }

    #[test]
    fn values_with_commas_or_quotes_are_quoted() {
        let mut line = String::new();
        put(&mut line, "VP, IT");
        put(&mut line, "say \"hi\"");
        put(&mut line, "plain");
        end_line(&mut line);
        assert_eq!(line, "\"VP, IT\",\"say \"\"hi\"\"\",plain\n");

        let data = bytes(3000, 1);
        let text = String::from_utf8(data.clone()).unwrap();
        assert!(text.contains(",\"VP, IT\","));
        let (_, rows) = records(&data);
        let title = HEADERS.iter().position(|h| *h == "Job Title").unwrap();
        assert!(rows.iter().any(|r| &r[title] == "VP, IT"));
    }

    #[test]
    fn dates_stay_in_the_two_quarters() {
        let (_, rows) = records(&bytes(5000, 2));
        for r in &rows {
            for col in [1, 15, 22, 28] {
                let v = &r[col];
                if !v.is_empty() {
                    assert!((FIRST_DAY..="2026-10-31 99").contains(&v), "{v}");
                }
            }
        }
    }

    #[test]
    fn base_rate_and_open_share_at_20k() {
        let (_, rows) = records(&bytes(20_000, 1));
        let outcome = HEADERS.len() - 1;
        let open = rows.iter().filter(|r| r[outcome].is_empty()).count();
        let won = rows.iter().filter(|r| &r[outcome] == "Yes").count();
        let closed = rows.len() - open;
        let open_share = open as f64 / rows.len() as f64;
        let base_rate = won as f64 / closed as f64;
        assert!(
            (0.03..0.07).contains(&open_share),
            "open share {open_share}"
        );
        assert!((0.10..0.15).contains(&base_rate), "base rate {base_rate}");
    }

    #[test]
    fn duplicate_ids_are_rare_but_present() {
        let (_, rows) = records(&bytes(5000, 1));
        let mut ids: Vec<&str> = rows.iter().map(|r| r.get(0).unwrap()).collect();
        ids.sort_unstable();
        let before = ids.len();
        ids.dedup();
        let dups = before - ids.len();
        assert!((3..60).contains(&dups), "{dups} duplicate ids");
    }

    #[test]
    fn float_helpers_are_accurate() {
        for x in [-30.0, -2.5, -0.1, 0.0, 0.7, 3.0, 12.0] {
            let rel = (exp_det(x) - f64::exp(x)).abs() / f64::exp(x);
            assert!(rel < 1e-13, "exp({x})");
        }
        for x in [1.0, 1.5, 2.0, 10.0, 350.0, 1e6] {
            assert!((ln_det(x) - f64::ln(x)).abs() < 1e-12, "ln({x})");
        }
        for (y, m, d) in [(1970, 1, 1), (2026, 5, 1), (2026, 10, 31), (2000, 2, 29)] {
            assert_eq!(civil_from_days(days_from_civil(y, m, d)), (y, m, d));
        }
        assert_eq!(days_from_civil(1970, 1, 2), 1);
        assert_eq!(weekday(days_from_civil(2026, 5, 1)), 5); // a Friday
    }
}
