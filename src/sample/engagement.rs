//! What a lead did and said: where it came from, the service it asked about,
//! the latent buying intent and engagement behind its visits, clicks and
//! downloads, and its form answers (timeline, compliance, SIEM, incident).

use super::firmographics::Firmographics;
use super::identity::Identity;
use super::rng::{Rng, sigmoid};
use super::vocabularies::{Area, FRAMEWORKS, Industry, Kind, SIEMS, Service, Source};

#[derive(Clone, Copy)]
pub(super) struct Engagement {
    pub(super) source: Source,
    pub(super) service_kind: Service,
    pub(super) service: &'static str,
    /// The latent buying intent (the outcome model uses it too).
    pub(super) buying: f64,
    pub(super) demo: bool,
    pub(super) form: bool,
    pub(super) pricing_views: u32,
    pub(super) service_views: u32,
    pub(super) case_views: u32,
    pub(super) webinar: bool,
    pub(super) downloads: u32,
    pub(super) opens: u32,
    pub(super) clicks: u32,
    /// The timeline as picked, and what the answer is truly worth.
    pub(super) timeline: &'static str,
    pub(super) timeline_effect: f64,
    pub(super) framework_named: bool,
    pub(super) compliance: &'static str,
    pub(super) siem_named: bool,
    pub(super) siem: &'static str,
    /// Whether there was an incident, and the form's answer (`None`: skipped).
    pub(super) incident_true: bool,
    pub(super) incident: Option<bool>,
    pub(super) unsubscribed: bool,
}

/// The draws after [`super::firmographics::firmographics`].
pub(super) fn engagement(r: &mut Rng, who: &Identity, firm: &Firmographics) -> Engagement {
    let kind = who.kind;
    let Firmographics {
        industry_kind,
        area,
        true_it,
        ..
    } = *firm;
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

    Engagement {
        source,
        service_kind,
        service,
        buying,
        demo,
        form,
        pricing_views,
        service_views,
        case_views,
        webinar,
        downloads,
        opens,
        clicks,
        timeline,
        timeline_effect,
        framework_named,
        compliance,
        siem_named,
        siem,
        incident_true,
        incident,
        unsubscribed,
    }
}
