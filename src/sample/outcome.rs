//! The outcome model: the hidden propensity that decides whether a closed
//! lead converts (see the module doc of [`super`]), then the activity dates
//! that follow from it and whether the lead is still open.

use super::calendar::Calendar;
use super::engagement::Engagement;
use super::firmographics::Firmographics;
use super::identity::Identity;
use super::lead::Email;
use super::rng::{Rng, ln_det, sigmoid};
use super::vocabularies::{Industry, Kind, Service};

/// Intercept of the propensity model (sets the base rate, about 12%).
const INTERCEPT: f64 = -5.8;

/// Whether the lead converts once closed: the draws after
/// [`super::engagement::engagement`].
pub(super) fn converted_if_closed(
    r: &mut Rng,
    who: &Identity,
    firm: &Firmographics,
    did: &Engagement,
) -> bool {
    let kind = who.kind;
    let Firmographics {
        industry_kind,
        area,
        role,
        true_employees,
        true_it,
        email,
        ..
    } = *firm;
    let Engagement {
        source,
        service_kind,
        buying,
        demo,
        form,
        pricing_views,
        service_views,
        case_views,
        webinar,
        downloads,
        clicks,
        timeline_effect,
        framework_named,
        siem_named,
        incident_true,
        unsubscribed,
        ..
    } = *did;
    let regulated = industry_kind.regulated();
    // The hidden propensity model (see the module doc).
    match kind {
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
    }
}

/// The activity dates and the outcome as written.
pub(super) struct Activity {
    pub(super) last_pricing: Option<i32>,
    pub(super) last_click: Option<i32>,
    pub(super) last_activity: i32,
    pub(super) last_activity_time: Option<u32>,
    /// `None` while the lead is open.
    pub(super) converted: Option<bool>,
}

/// The last draws of a row's stream.
pub(super) fn activity(
    r: &mut Rng,
    cal: &Calendar,
    who: &Identity,
    did: &Engagement,
    converted_if_closed: bool,
) -> Activity {
    let created = who.created;
    let Engagement {
        pricing_views,
        clicks,
        ..
    } = *did;
    // Activity dates, never after the export date.
    let age = cal.last - created;
    let lag = |r: &mut Rng, max: f64| -> i32 {
        let u = r.unit();
        (u * u * max) as i32
    };
    let last_pricing = (pricing_views > 0).then(|| {
        let extra = if converted_if_closed {
            7 + lag(r, 50.0)
        } else {
            0
        };
        (created + lag(r, 30.0) + extra).min(cal.last)
    });
    let last_click = (clicks > 0).then(|| (created + lag(r, 60.0)).min(cal.last));
    let mut last_activity = created + lag(r, 20.0);
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

    Activity {
        last_pricing,
        last_click,
        last_activity,
        last_activity_time,
        converted,
    }
}
