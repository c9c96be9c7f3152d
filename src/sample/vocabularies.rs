//! The vocabularies leads are drawn from: kinds of lead, industries and their
//! spellings, roles and their titles, countries, sources, services, names,
//! domains and form picklists, each with the effect the outcome model gives it.
//! Over 600 lines on purpose: word lists only, one table per concept.

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Business,
    Student,
    Competitor,
    Fake,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Industry {
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
    pub(super) fn regulated(self) -> bool {
        matches!(
            self,
            Industry::Finance | Industry::Health | Industry::Government | Industry::Energy
        )
    }

    /// How the CRM spells it: the canonical name most often, synonyms and
    /// case variants sometimes (some of which a rule's list will miss).
    pub(super) fn spellings(self) -> &'static [(&'static str, u32)] {
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

    pub(super) fn company_suffixes(self) -> &'static [&'static str] {
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

pub(super) const PREFIXES: &[&str] = &[
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

pub(super) const FIRST_NAMES: &[&str] = &[
    "James", "Maria", "Robert", "Priya", "Michael", "Sarah", "David", "Emily", "Daniel", "Aisha",
    "Thomas", "Laura", "Kevin", "Sophie", "Carlos", "Hannah", "Wei", "Olivia", "Ahmed", "Grace",
    "Lukas", "Chloe", "Raj", "Emma", "Brian", "Fatima", "Mark", "Julia", "Sean", "Mei", "Peter",
    "Anna", "Jonas", "Elena", "Chris", "Nadia", "Paul", "Rachel", "Diego", "Ingrid",
];

pub(super) const LAST_NAMES: &[&str] = &[
    "Smith", "Johnson", "Patel", "Garcia", "Miller", "Brown", "Nguyen", "Muller", "Wilson", "Khan",
    "Taylor", "Anderson", "Martin", "Lee", "Schmidt", "Clark", "Lopez", "Walker", "Young",
    "Hughes", "Kowalski", "Rossi", "Dubois", "Jansen", "Murphy", "OBrien", "Chen", "Singh",
    "Moreau", "Berg", "Fischer", "Evans", "Wright", "Silva", "Novak", "Park", "Hall", "Baker",
    "Kim", "Ahmed",
];

/// The true role behind a job title (what the propensity model uses; the
/// ruleset only sees the title text).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
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
    pub(super) fn titles(self) -> &'static [(&'static str, u32)] {
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

    pub(super) fn effect(self) -> f64 {
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

    pub(super) fn senior(self) -> bool {
        matches!(self, Role::CLevel | Role::Vp | Role::Director)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Area {
    NorthAmerica,
    Emea,
    Apac,
    Latam,
}

/// (country as typed, region, weight, email domain suffix)
pub(super) const COUNTRIES: &[((&str, Area, &str), u32)] = &[
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
    pub(super) fn name(self) -> &'static str {
        match self {
            Area::NorthAmerica => "North America",
            Area::Emea => "EMEA",
            Area::Apac => "APAC",
            Area::Latam => "LATAM",
        }
    }

    pub(super) fn effect(self) -> f64 {
        match self {
            Area::NorthAmerica => 0.15,
            Area::Emea => 0.05,
            Area::Apac => -0.4,
            Area::Latam => -0.6,
        }
    }

    pub(super) fn legal_forms(self) -> &'static [&'static str] {
        match self {
            Area::NorthAmerica => &["", "", ", Inc.", " Inc", " LLC", " Corp."],
            Area::Emea => &["", "", " Ltd", " GmbH", " B.V.", " plc"],
            Area::Apac => &["", " Pty Ltd", " Pte. Ltd.", " Ltd"],
            Area::Latam => &["", " S.A.", " Ltda."],
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Source {
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
    pub(super) const ALL: &'static [(Source, u32)] = &[
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

    pub(super) fn name(self) -> &'static str {
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

    pub(super) fn effect(self) -> f64 {
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
pub(super) enum Service {
    Mdr,
    Pentest,
    Consulting,
    IrRetainer,
    Training,
    Unknown,
}

impl Service {
    pub(super) const ALL: &'static [(Service, u32)] = &[
        (Service::Mdr, 30),
        (Service::Pentest, 22),
        (Service::Consulting, 14),
        (Service::IrRetainer, 10),
        (Service::Training, 10),
        (Service::Unknown, 14),
    ];

    pub(super) fn spellings(self) -> &'static [(&'static str, u32)] {
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

    pub(super) fn effect(self) -> f64 {
        match self {
            Service::IrRetainer => 0.3,
            Service::Pentest => 0.2,
            Service::Mdr => 0.1,
            Service::Training => -0.4,
            _ => 0.0,
        }
    }
}

pub(super) const FRAMEWORKS: &[&str] = &[
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
pub(super) const SIEMS: &[(&str, u32)] = &[
    ("Splunk", 30),
    ("Microsoft Sentinel", 30),
    ("IBM QRadar", 10),
    ("Elastic", 10),
    ("Sumo Logic", 6),
    ("LogRhythm", 6),
    ("Other", 8),
];
pub(super) const PERSONAL_DOMAINS: &[&str] = &[
    "gmail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "icloud.com",
    "aol.com",
    "protonmail.com",
];
/// Made-up competitors: the ruleset's gate lists these domains.
pub(super) const COMPETITORS: &[(&str, &str)] = &[
    ("Ironveil Security", "ironveil.com"),
    ("RedMoat", "redmoat.io"),
    ("SentryForge", "sentryforge.com"),
];
pub(super) const FAKE_EMAILS: &[&str] = &[
    "test@test.com",
    "asdf@asdf.com",
    "test@example.com",
    "a@a.com",
    "fake@fake.com",
    "asdf@gmail.com",
    "qwerty@qwerty.com",
    "none@none.com",
];
pub(super) const THROWAWAY: &[&str] = &[
    "mailinator.com",
    "mailinator.com",
    "yopmail.com",
    "guerrillamail.com",
];
pub(super) const JUNK_LOCALS: &[&str] = &["xyz", "asdfgh", "test123", "jdoe", "aaa", "sdfsdf"];
