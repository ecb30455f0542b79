//! The session file: everything a user decided while working — the catalogue, the own
//! municipality, year and peer group, thresholds, comments on findings and targets, and the
//! pseudonymisation switch with its letters — as one versioned JSON file they keep on their own
//! disk. The uploaded data goes in only when the user asks for it, because the file may then
//! hold figures that must not travel. The file is the user's working file and holds real names
//! even with pseudonymisation on: loading it again needs them.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::analysis::finding::Comments;
use crate::analysis::peer::PeerGroup;
use crate::analysis::target::Target;
use crate::cases::aggregate::Aggregate;
use crate::catalogue::definition::{Catalogue, Checks};
use crate::catalogue::source::Bindings;
use crate::error::{Error, ErrorKind, Position, Result};
use crate::message::{self, Message};

/// The session file format this program writes. Version 2 added the pseudonymisation; it is a
/// new version, not an optional extra of version 1, because a program that reads only version 1
/// would ignore the switch and put real names on the projector of a meeting that expects
/// pseudonyms — it refuses the file instead and asks for a newer program.
pub const SESSION_VERSION: u32 = 2;

/// The oldest session file format this program reads (version 1: no pseudonymisation, loaded
/// with the switch off and the letters of the page).
pub const OLDEST_SESSION_VERSION: u32 = 1;

/// A saved session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// The format version ([`SESSION_VERSION`]).
    pub version: u32,
    /// The catalogue as TOML text, as the user loaded or edited it.
    pub catalogue: String,
    /// The own municipality's name.
    #[serde(default)]
    pub own: Option<String>,
    /// The year looked at.
    #[serde(default)]
    pub year: Option<i32>,
    /// The peer group.
    #[serde(default)]
    pub peers: PeerGroup,
    /// Thresholds that override the catalogue's `[checks]`; `None` uses the catalogue's.
    #[serde(default)]
    pub thresholds: Option<Checks>,
    /// Comments on findings.
    #[serde(default)]
    pub comments: Comments,
    /// The own municipality's targets.
    #[serde(default)]
    pub targets: Vec<Target>,
    /// The uploads themselves, only when the user chose to save the data with the session.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uploads: Vec<StoredUpload>,
    /// True when every municipality but the own one shows as "Kommune A", "Kommune B", …
    /// (version 2; off in version 1).
    #[serde(default)]
    pub pseudonymise: bool,
    /// The pseudonym of each municipality by its real name, so that the letters are the same
    /// after loading (version 2).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pseudonyms: BTreeMap<String, String>,
    /// The seed that orders the letters of municipalities not in `pseudonyms` (version 2;
    /// `None` keeps the page's own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pseudonym_seed: Option<u64>,
    /// The groups of a case-level upload, with the data only. The case file itself is not
    /// kept: it is large and holds single cases, and its groups are what the views use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cases: Option<StoredCases>,
    /// The user's bindings of catalogue measures to loaded measures (CONTRACT §2). An optional
    /// extra of version 2: a program that ignores them binds by the catalogue's sources, which
    /// shows other figures but hides nothing.
    #[serde(default, skip_serializing_if = "Bindings::is_empty")]
    pub bindings: Bindings,
    /// The GeoJSON file of district boundaries as loaded, only with the data (like `uploads`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boundaries: Option<StoredUpload>,
    /// The property of the boundaries that joins them to the districts, when the user chose
    /// one (`None`: the one that matches the most districts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub map_join: Option<String>,
    /// The districts the user took out of view, by name.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub hidden_districts: BTreeSet<String>,
}

/// A case-level aggregation kept in a session: the case file's name and its groups.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredCases {
    /// The case file's name.
    pub file: String,
    /// Its groups.
    pub aggregate: Aggregate,
}

/// An upload kept in a session: its name and its bytes exactly as read (so that reading it
/// again gives the same dataset, encoding detection included). Base64 in the JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredUpload {
    /// The file name.
    pub name: String,
    /// The bytes.
    #[serde(with = "base64_bytes")]
    pub bytes: Vec<u8>,
}

mod base64_bytes {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        STANDARD.decode(text).map_err(serde::de::Error::custom)
    }
}

impl Session {
    /// A fresh session for a catalogue, with no selections, comments or targets.
    pub fn new(catalogue: &str) -> Session {
        Session {
            version: SESSION_VERSION,
            catalogue: catalogue.to_string(),
            own: None,
            year: None,
            peers: PeerGroup::All,
            thresholds: None,
            comments: Comments::new(),
            targets: Vec::new(),
            uploads: Vec::new(),
            pseudonymise: false,
            pseudonyms: BTreeMap::new(),
            pseudonym_seed: None,
            cases: None,
            bindings: Bindings::new(),
            boundaries: None,
            map_join: None,
            hidden_districts: BTreeSet::new(),
        }
    }

    /// The thresholds in force: the session's override, else the catalogue's `[checks]`.
    pub fn thresholds_for(&self, catalogue: &Catalogue) -> Checks {
        self.thresholds
            .clone()
            .unwrap_or_else(|| catalogue.checks().clone())
    }

    /// The session as pretty JSON.
    pub fn to_json(&self) -> String {
        // Every field is a plain string, number, list or map with string keys: cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Read a session file of version [`OLDEST_SESSION_VERSION`] to [`SESSION_VERSION`] (an
    /// older one gets the defaults of the fields it lacks). A file of another version, or not a
    /// session file at all, is an error that says so instead of a half-read session.
    pub fn from_json(text: &str) -> Result<Session> {
        let raw: serde_json::Value = serde_json::from_str(text).map_err(json_error)?;
        let version = raw
            .get("version")
            .ok_or_else(|| session_error(Message::new(&message::SESSION_NO_VERSION)))?;
        match version.as_u64() {
            Some(v)
                if (u64::from(OLDEST_SESSION_VERSION)..=u64::from(SESSION_VERSION))
                    .contains(&v) => {}
            Some(v) if v > u64::from(SESSION_VERSION) => {
                return Err(session_error(
                    Message::new(&message::SESSION_NEWER)
                        .with("version", v)
                        .with("read", SESSION_VERSION),
                ))
            }
            _ => {
                return Err(session_error(
                    Message::new(&message::SESSION_UNKNOWN_VERSION)
                        .with("version", version)
                        .with("oldest", OLDEST_SESSION_VERSION)
                        .with("newest", SESSION_VERSION),
                ))
            }
        }
        let mut session: Session = serde_json::from_str(text).map_err(json_error)?;
        session.check()?;
        // Saved again, the session is of this program's version.
        session.version = SESSION_VERSION;
        Ok(session)
    }

    /// Everything in the file must make sense before any of it replaces the user's work: a
    /// session file may have been edited by hand or damaged, and the app stops on a panic.
    fn check(&self) -> Result<()> {
        let wrong = |what: Message| {
            session_error(Message::new(&message::SESSION_DAMAGED).with_message("what", what))
        };
        Catalogue::from_toml(&self.catalogue).map_err(|e| {
            wrong(Message::new(&message::SESSION_CATALOGUE).with_message("error", e.message()))
        })?;
        if let Some(t) = &self.thresholds {
            t.check().map_err(|e| wrong(e.message()))?;
        }
        match &self.peers {
            PeerGroup::Similar { k, on, weights }
                if *k > MAX_ITEMS || on.len() > MAX_ITEMS || weights.len() > MAX_ITEMS =>
            {
                return Err(wrong(
                    Message::new(&message::SESSION_SIMILAR)
                        .with("k", k)
                        .with("on", on.len()),
                ))
            }
            PeerGroup::Similar { weights, .. } => {
                if let Some((key, w)) = weights.iter().find(|(_, w)| !(w.is_finite() && **w >= 0.0))
                {
                    return Err(wrong(
                        Message::new(&message::SESSION_WEIGHT)
                            .with("key", key)
                            .with("weight", w),
                    ));
                }
            }
            PeerGroup::Chosen { names } if names.len() > MAX_ITEMS => {
                return Err(wrong(
                    Message::new(&message::SESSION_CHOSEN).with("count", names.len()),
                ))
            }
            _ => {}
        }
        if self.targets.len() > MAX_ITEMS {
            return Err(wrong(
                Message::new(&message::SESSION_TARGETS).with("count", self.targets.len()),
            ));
        }
        let year = |y: i32| (1000..=9999).contains(&y);
        if let Some(t) = self
            .targets
            .iter()
            .find(|t| !t.target.is_finite() || !year(t.baseline_year) || !year(t.due_year))
        {
            return Err(wrong(
                Message::new(&message::SESSION_TARGET)
                    .with("kpi", &t.kpi)
                    .with("target", t.target)
                    .with("baseline", t.baseline_year)
                    .with("due", t.due_year),
            ));
        }
        if let Some(y) = self.year.filter(|&y| !year(y)) {
            return Err(wrong(Message::new(&message::SESSION_YEAR).with("year", y)));
        }
        if let Some(cases) = &self.cases {
            cases.aggregate.check_shape().map_err(|what| {
                wrong(
                    Message::new(&message::SESSION_CASES)
                        .with("file", &cases.file)
                        .with_message("what", what),
                )
            })?;
        }
        Ok(())
    }
}

/// The most peers, context measures or targets a session may hold: far beyond any ring, and
/// small enough that a damaged number cannot make the views loop for ever.
const MAX_ITEMS: usize = 100_000;

fn session_error(msg: Message) -> Error {
    Error::new(ErrorKind::Other {
        msg,
        pos: Position::default(),
    })
}

fn json_error(e: serde_json::Error) -> Error {
    let pos = Position {
        file: None,
        line: Some(e.line()),
        column: Some(e.column()),
    };
    Error::new(ErrorKind::Other {
        msg: Message::new(&message::SESSION_NOT_JSON).with("error", e),
        pos,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::finding::{Code, FindingKey};
    use crate::analysis::target::{Action, Stage};
    use base64::Engine;

    fn session() -> Session {
        let mut s = Session::new("[catalogue]\nname = \"Demo\"\n");
        s.own = Some("Nordhafen".into());
        s.year = Some(2023);
        s.peers = PeerGroup::Similar {
            k: 5,
            on: vec!["einwohner".into(), "arbeitslosenquote".into()],
            weights: [("einwohner".to_string(), 2.5)].into(),
        };
        let key = FindingKey {
            code: Code::YoyJump,
            municipality: "Nordhafen".into(),
            year: 2022,
            subject: "leistungsberechtigte_hlu".into(),
        };
        s.comments.set(key, "Neue Einrichtung eröffnet");
        s.comments.set(
            FindingKey {
                code: Code::Rule("a".into()),
                municipality: "Ost".into(),
                year: 2021,
                subject: "a".into(),
            },
            "geprüft",
        );
        s.targets.push(Target {
            kpi: "dichte_hlu".into(),
            target: 8.0,
            baseline_year: 2020,
            due_year: 2025,
            owner: "Sozialamt, SG 50.1".into(),
            measures: vec![Action {
                text: "Fallmanagement".into(),
                stage: Stage::Do,
            }],
            last_changed: Some("2026-11-25".into()),
        });
        s
    }

    #[test]
    fn round_trip() {
        let mut s = session();
        let back = Session::from_json(&s.to_json()).unwrap();
        assert_eq!(back, s);
        // Changing thresholds keeps the comments, through another round trip.
        s.thresholds = Some(Checks {
            yoy_threshold_percent: 50.0,
            outlier_robust_z: 3.0,
        });
        let back = Session::from_json(&s.to_json()).unwrap();
        assert_eq!(back.comments, s.comments);
        assert_eq!(back.comments.len(), 2);
        assert_eq!(back.thresholds, s.thresholds);
    }

    #[test]
    fn uploads_only_when_kept() {
        let mut s = session();
        assert!(!s.to_json().contains("uploads"));
        s.uploads.push(StoredUpload {
            name: "ring.csv".into(),
            bytes: vec![0xff, 0xfe, b'K', 0, b';', 0],
        });
        let json = s.to_json();
        assert!(json.contains(
            &base64::engine::general_purpose::STANDARD.encode([0xff, 0xfe, b'K', 0, b';', 0])
        ));
        assert_eq!(Session::from_json(&json).unwrap().uploads, s.uploads);
    }

    #[test]
    fn boundaries_only_when_kept_and_the_district_choice_always() {
        let mut s = session();
        s.map_join = Some("STT_NAME".into());
        s.hidden_districts = ["Südstadt".to_string()].into();
        let json = s.to_json();
        assert!(!json.contains("\"boundaries\""));
        let back = Session::from_json(&json).unwrap();
        assert_eq!(back.map_join.as_deref(), Some("STT_NAME"));
        assert_eq!(back.hidden_districts, s.hidden_districts);
        s.boundaries = Some(StoredUpload {
            name: "grenzen.geojson".into(),
            bytes: br#"{"type":"FeatureCollection","features":[]}"#.to_vec(),
        });
        assert_eq!(Session::from_json(&s.to_json()).unwrap(), s);
        // A file of an older program has none of them.
        let old = Session::from_json(&session().to_json()).unwrap();
        assert!(old.boundaries.is_none() && old.map_join.is_none());
        assert!(old.hidden_districts.is_empty());
    }

    #[test]
    fn case_groups_only_when_kept() {
        use crate::cases::aggregate::{CaseAggregator, CaseQuery};
        let mut s = session();
        assert!(!s.to_json().contains("cases"));
        let query = CaseQuery {
            by: vec!["Kommune".into(), "Jahr".into()],
            sum: vec!["Betrag".into()],
            encoding: None,
        };
        let mut aggregator = CaseAggregator::new(query);
        aggregator
            .feed(b"Kommune;Jahr;Betrag\nA;2023;1,5\nA;2023;2\nB;2023;\n")
            .unwrap();
        let aggregate = aggregator.finish().unwrap();
        assert_eq!(aggregate.groups().len(), 2);
        s.cases = Some(StoredCases {
            file: "faelle.csv".into(),
            aggregate,
        });
        let back = Session::from_json(&s.to_json()).unwrap();
        assert_eq!(back, s);
        let dataset = back
            .cases
            .unwrap()
            .aggregate
            .to_dataset("faelle.csv")
            .unwrap();
        assert_eq!(dataset.municipalities.len(), 2);
    }

    /// A saved session with case groups as JSON, for damaging.
    fn with_cases() -> serde_json::Value {
        use crate::cases::aggregate::{CaseAggregator, CaseQuery};
        let mut aggregator = CaseAggregator::new(CaseQuery {
            by: vec!["Kommune".into(), "Jahr".into(), "Art".into()],
            sum: vec!["Betrag".into()],
            encoding: None,
        });
        let fed = aggregator.feed(b"Kommune;Jahr;Art;Betrag\nA;2023;x;1,5\nB;2023;y;2\n");
        assert_eq!(fed.ok(), Some(true));
        let mut s = session();
        s.cases = aggregator.finish().ok().map(|aggregate| StoredCases {
            file: "faelle.csv".into(),
            aggregate,
        });
        serde_json::from_str(&s.to_json()).unwrap_or_default()
    }

    #[test]
    fn damaged_files_are_refused_before_anything_is_used() {
        type Edit = fn(&mut serde_json::Value);
        let edits: Vec<(&str, Edit)> = vec![
            ("Gruppe 1 passt nicht", |v| {
                v["cases"]["aggregate"]["groups"][0]["values"] = serde_json::json!(["A"])
            }),
            ("Gruppe 2 passt nicht", |v| {
                v["cases"]["aggregate"]["groups"][1]["sums"] = serde_json::json!([])
            }),
            ("2 Einträge in roles statt 3", |v| {
                let roles = &mut v["cases"]["aggregate"]["roles"];
                if let Some(r) = roles.as_array_mut() {
                    r.pop();
                }
            }),
            ("0 Einträge in decimals statt 1", |v| {
                v["cases"]["aggregate"]["decimals"] = serde_json::json!([])
            }),
            ("ihr Katalog lässt sich nicht lesen", |v| {
                v["catalogue"] = serde_json::json!("[[kpi]")
            }),
            (
                "muss eine positive Zahl sein",
                |v| {
                    v["thresholds"] =
                        serde_json::json!({"yoy_threshold_percent": -5, "outlier_robust_z": 3})
                },
            ),
            ("die Jahre 2020 bis 99999", |v| {
                v["targets"][0]["due_year"] = serde_json::json!(99999)
            }),
            ("das Jahr -4 gibt es nicht", |v| {
                v["year"] = serde_json::json!(-4)
            }),
            ("will 18446744073709551615 ähnliche", |v| {
                v["peers"]["k"] = serde_json::json!(u64::MAX)
            }),
            ("das Gewicht von „einwohner“ ist -1", |v| {
                v["peers"]["weights"]["einwohner"] = serde_json::json!(-1)
            }),
        ];
        assert!(Session::from_json(&with_cases().to_string()).is_ok());
        for (want, edit) in edits {
            let mut v = with_cases();
            edit(&mut v);
            match Session::from_json(&v.to_string()) {
                Ok(_) => panic!("{want}: loaded"),
                Err(e) => assert!(e.to_string().contains(want), "{want}: {e}"),
            }
        }
    }

    #[test]
    fn wrong_versions_and_broken_files() {
        let cases = [
            (r#"{"version": 3, "catalogue": ""}"#, "Version 3"),
            (r#"{"version": 0, "catalogue": ""}"#, "unbekannte Version 0"),
            (
                r#"{"version": "eins", "catalogue": ""}"#,
                "unbekannte Version",
            ),
            (r#"{"catalogue": ""}"#, "keine Vergleichsring-Sitzungsdatei"),
            ("{\"version\": 1,\n \"catalogue\": 3}", "fehlerhaft"),
            ("nicht json", "fehlerhaft"),
        ];
        for (text, want) in cases {
            let e = Session::from_json(text).unwrap_err();
            assert!(e.to_string().contains(want), "{text}: {e}");
        }
        let e = Session::from_json("{\"version\": 1,\n \"catalogue\": 3}").unwrap_err();
        assert_eq!(e.position().line, Some(2));
    }

    #[test]
    fn thresholds_override_the_catalogue() {
        let catalogue = Catalogue::from_toml(
            "[catalogue]\nname = \"T\"\n[checks]\nyoy_threshold_percent = 20\n",
        )
        .unwrap();
        let mut s = Session::new("");
        assert_eq!(s.thresholds_for(&catalogue).yoy_threshold_percent, 20.0);
        s.thresholds = Some(Checks {
            yoy_threshold_percent: 45.0,
            outlier_robust_z: 3.5,
        });
        assert_eq!(s.thresholds_for(&catalogue).yoy_threshold_percent, 45.0);
    }

    #[test]
    fn minimal_file_gets_defaults() {
        // The catalogue is read on loading: a session with an unreadable one is refused.
        let catalogue = "[catalogue]\nname = \"x\"\n";
        for version in [1, 2] {
            let text = format!(r#"{{"version": {version}, "catalogue": {catalogue:?}}}"#);
            assert_eq!(Session::from_json(&text).unwrap(), Session::new(catalogue));
        }
    }

    #[test]
    fn pseudonyms_round_trip() {
        use crate::dataset::Municipality;
        use crate::output::pseudonym::Pseudonyms;
        let ms: Vec<Municipality> = ["Nordhafen", "Ost", "Südtal", "Westend"]
            .iter()
            .map(|n| Municipality {
                name: n.to_string(),
                code: None,
                aggregate: false,
            })
            .collect();
        let shown = Pseudonyms::new(&ms, 4711);
        let mut s = session();
        s.pseudonymise = true;
        s.pseudonyms = shown.letters().clone();
        s.pseudonym_seed = Some(4711);
        let json = s.to_json();
        assert!(json.contains("\"pseudonymise\": true"), "{json}");
        let back = Session::from_json(&json).unwrap();
        assert_eq!(back, s);
        // Loaded in a fresh page (another seed drawn), the letters are the saved ones.
        let again = Pseudonyms::keeping(&ms, 1, &back.pseudonyms);
        assert_eq!(again.all(), shown.all());
    }

    #[test]
    fn a_version_1_file_loads_with_pseudonymisation_off() {
        let mut old = serde_json::to_value(session()).unwrap();
        old["version"] = 1.into();
        for field in ["pseudonymise", "pseudonyms", "pseudonym_seed"] {
            old.as_object_mut().unwrap().remove(field);
        }
        let back = Session::from_json(&old.to_string()).unwrap();
        assert_eq!(back, session());
        assert_eq!(back.version, SESSION_VERSION);
        assert!(!back.pseudonymise);
        assert_eq!(back.pseudonym_seed, None);
    }
}
