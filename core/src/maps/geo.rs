//! District boundaries from a GeoJSON file (CONTRACT §1 district level): a FeatureCollection of
//! Polygon and MultiPolygon features (holes included), in WGS84/CRS84 or projected ETRS89/UTM
//! (EPSG:25832, 25833, with or without the zone before the easting), named in a `crs` member
//! or recognised from the coordinates. Every area ends up on one plane, UTM metres, so the map
//! draws boundaries from either kind of file alike.
//!
//! Liberal in what real city files hold (properties of any type, numbers as strings, a `bbox`,
//! third coordinates, features without geometry, which are listed), strict in what it computes:
//! an unknown CRS, a geometry that is no area, or a coordinate outside the CRS's range refuses
//! the file, naming the feature and what was expected.

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use crate::error::{Error, ErrorKind, Position, Result};
use crate::maps::projection::Utm;
use crate::message::{self, Message};

/// The largest GeoJSON file read (bytes): a city's district boundaries take a few MB.
pub const MAX_GEOJSON_BYTES: usize = 48 * 1024 * 1024;
/// The most positions read from one file, bounding the memory of the drawn map.
pub const MAX_POSITIONS: usize = 3_000_000;

/// The coordinate reference system of a boundary file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Crs {
    /// Longitude and latitude in degrees (WGS84, CRS84, ETRS89 geographic).
    Geographic,
    /// ETRS89 (or WGS84) / UTM, easting and northing in metres.
    Utm(Utm),
}

impl Crs {
    /// The EPSG code a user knows the CRS by.
    pub fn epsg(self) -> String {
        match self {
            Crs::Geographic => "EPSG:4326 (WGS84)".into(),
            Crs::Utm(u) => format!("EPSG:258{:02} (ETRS89 / UTM {}N)", u.zone, u.zone),
        }
    }
}

/// A ring of a polygon: positions in UTM metres (easting, northing), closed (last = first).
pub type Ring = Vec<[f64; 2]>;
/// A polygon: its outer ring, then its holes.
pub type Polygon = Vec<Ring>;

/// One feature with an area.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Boundary {
    /// The feature's position in the file, 1-based (what messages name).
    pub number: usize,
    /// Its properties as text, in the file's order (objects and nulls left out).
    pub properties: Vec<(String, String)>,
    /// Its polygons on the UTM plane.
    pub polygons: Vec<Polygon>,
}

impl Boundary {
    /// The text of a property.
    pub fn property(&self, key: &str) -> Option<&str> {
        self.properties
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// The boundaries of a GeoJSON file (serde: so that the reading worker can send them).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Boundaries {
    /// The file's name.
    pub file: String,
    /// The CRS the coordinates were read in.
    pub crs: Crs,
    /// True when the file names no CRS and it was recognised from the coordinates.
    pub crs_guessed: bool,
    /// The UTM zone of the plane every area is on.
    pub plane: Utm,
    /// The features with an area.
    pub features: Vec<Boundary>,
    /// Features without geometry (number and properties as text): listed, not drawn.
    pub without_geometry: Vec<usize>,
    /// Every property key, in order of first appearance.
    pub keys: Vec<String>,
}

#[derive(Deserialize)]
struct Collection {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    features: Vec<Feature>,
    #[serde(default)]
    crs: Option<Json>,
    #[serde(default)]
    geometry: Option<Geometry>,
    #[serde(default)]
    properties: Option<Json>,
}

#[derive(Deserialize)]
struct Feature {
    #[serde(default)]
    geometry: Option<Geometry>,
    #[serde(default)]
    properties: Option<Json>,
}

#[derive(Deserialize)]
struct Geometry {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    coordinates: Json,
}

fn refuse(file: &str, msg: Message) -> Error {
    Error::new(ErrorKind::Other {
        msg,
        pos: Position {
            file: Some(file.to_string()),
            line: None,
            column: None,
        },
    })
}

/// Reads a GeoJSON file's boundaries.
pub fn read_boundaries(file: &str, bytes: &[u8]) -> Result<Boundaries> {
    if bytes.len() > MAX_GEOJSON_BYTES {
        return Err(refuse(
            file,
            Message::new(&message::GEO_TOO_LARGE)
                .with("size", bytes.len() / 1_048_576)
                .with("max", MAX_GEOJSON_BYTES / 1_048_576),
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // serde_json limits nesting (128 levels), so hostile depth fails cleanly.
    let collection: Collection = serde_json::from_slice(bytes).map_err(|e| {
        Error::new(ErrorKind::Other {
            msg: Message::new(&message::GEO_UNREADABLE).with("error", &e),
            pos: Position {
                file: Some(file.to_string()),
                line: Some(e.line()),
                column: Some(e.column()),
            },
        })
    })?;
    let features = match collection.kind.as_str() {
        "FeatureCollection" => collection.features,
        "Feature" => vec![Feature {
            geometry: collection.geometry,
            properties: collection.properties,
        }],
        other => {
            return Err(refuse(
                file,
                Message::new(&message::GEO_NOT_A_COLLECTION).with("kind", other),
            ))
        }
    };
    let named = match &collection.crs {
        Some(crs) => Some(crs_of_member(crs).map_err(|m| refuse(file, m))?),
        None => None,
    };
    // The features in the file's coordinates, projected in place below.
    let mut raw: Vec<Boundary> = Vec::new();
    let mut without_geometry = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    let mut positions = 0usize;
    for (i, feature) in features.into_iter().enumerate() {
        let number = i + 1;
        let properties = properties_text(feature.properties.as_ref());
        for (k, _) in &properties {
            if !keys.contains(k) {
                keys.push(k.clone());
            }
        }
        // Exports write a district without an area as `null` or as empty coordinates.
        let empty = |g: &Geometry| matches!(&g.coordinates, Json::Array(a) if a.is_empty());
        let Some(geometry) = feature.geometry.filter(|g| !empty(g)) else {
            without_geometry.push(number);
            continue;
        };
        let which = || feature_name(number, &properties);
        let polygons = match geometry.kind.as_str() {
            "Polygon" => vec![polygon(&geometry.coordinates, &which, file)?],
            "MultiPolygon" => match &geometry.coordinates {
                Json::Array(parts) => parts
                    .iter()
                    .map(|p| polygon(p, &which, file))
                    .collect::<Result<Vec<_>>>()?,
                _ => {
                    let msg = Message::new(&message::GEO_BAD_MULTIPOLYGON);
                    return Err(refuse(file, msg.with_message("feature", which())));
                }
            },
            other => {
                return Err(refuse(
                    file,
                    Message::new(&message::GEO_NOT_AN_AREA)
                        .with_message("feature", which())
                        .with("kind", other),
                ))
            }
        };
        positions += polygons.iter().flatten().map(Vec::len).sum::<usize>();
        if positions > MAX_POSITIONS {
            return Err(refuse(
                file,
                Message::new(&message::GEO_TOO_MANY_POSITIONS).with("max", MAX_POSITIONS),
            ));
        }
        raw.push(Boundary {
            number,
            properties,
            polygons,
        });
    }
    if raw.is_empty() {
        return Err(refuse(file, Message::new(&message::GEO_NO_AREA)));
    }
    let all = || {
        raw.iter()
            .flat_map(|b| b.polygons.iter().flatten().flatten())
    };
    let (crs, guessed, offset) = match named {
        Some((crs, offset)) => (crs, false, offset),
        None => {
            let first = all().next().copied().unwrap_or_default();
            let (crs, offset) = crs_of_coordinates(first).ok_or_else(|| {
                refuse(
                    file,
                    Message::new(&message::GEO_NO_CRS_FITS)
                        .with("x", first[0])
                        .with("y", first[1]),
                )
            })?;
            (crs, true, offset)
        }
    };
    // WFS services write `urn:ogc:def:crs:EPSG::4326` in its official order, latitude first.
    // In Germany (latitudes 47–55°, longitudes 5–15°) the two ranges do not overlap, so a
    // file so written is told by its first position.
    let swapped = crs == Crs::Geographic
        && all()
            .next()
            .is_some_and(|p| (47.0..=56.0).contains(&p[0]) && (5.0..=16.0).contains(&p[1]));
    if swapped {
        for p in raw
            .iter_mut()
            .flat_map(|b| b.polygons.iter_mut().flatten().flatten())
        {
            p.swap(0, 1);
        }
    }
    let all = || {
        raw.iter()
            .flat_map(|b| b.polygons.iter().flatten().flatten())
    };
    let plane = match crs {
        Crs::Utm(u) => u,
        Crs::Geographic => {
            let (sum, n) = all().fold((0.0, 0usize), |(s, n), p| (s + p[0], n + 1));
            Utm::of_longitude(sum / n.max(1) as f64)
        }
    };
    for feature in &mut raw {
        for point in feature.polygons.iter_mut().flatten().flatten() {
            let [x, y] = *point;
            *point = match crs {
                Crs::Geographic if (-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y) => {
                    let (e, n) = plane.forward(y, x);
                    [e, n]
                }
                Crs::Utm(_)
                    if (0.0..=1_000_000.0).contains(&(x - offset))
                        && (0.0..=10_000_000.0).contains(&y) =>
                {
                    [x - offset, y]
                }
                _ => {
                    let template = match crs {
                        Crs::Geographic => &message::GEO_OUTSIDE_DEGREES,
                        Crs::Utm(_) => &message::GEO_OUTSIDE_METRES,
                    };
                    return Err(refuse(
                        file,
                        Message::new(template)
                            .with_message(
                                "feature",
                                feature_name(feature.number, &feature.properties),
                            )
                            .with("x", x)
                            .with("y", y)
                            .with("crs", crs.epsg()),
                    ));
                }
            };
        }
    }
    Ok(Boundaries {
        file: file.to_string(),
        crs,
        crs_guessed: guessed,
        plane,
        features: raw,
        without_geometry,
        keys,
    })
}

/// How a feature is named in messages: its number and, when it has one, a name-like property.
fn feature_name(number: usize, properties: &[(String, String)]) -> Message {
    let name = properties
        .iter()
        .find(|(k, _)| {
            let k = k.to_lowercase();
            k.contains("name") || k.contains("bez")
        })
        .or(properties.first());
    match name {
        Some((k, v)) => Message::new(&message::GEO_FEATURE_NAMED)
            .with("number", number)
            .with("key", k)
            .with("value", v),
        None => Message::new(&message::GEO_FEATURE).with("number", number),
    }
}

/// Properties as text: strings trimmed, numbers as written (`12`, `3.5`), booleans; nested
/// values and nulls left out (they name no district).
fn properties_text(properties: Option<&Json>) -> Vec<(String, String)> {
    let Some(Json::Object(map)) = properties else {
        return Vec::new();
    };
    map.iter()
        .filter_map(|(k, v)| {
            let text = match v {
                Json::String(s) => s.trim().to_string(),
                Json::Number(n) => n.to_string(),
                Json::Bool(b) => b.to_string(),
                _ => return None,
            };
            Some((k.clone(), text))
        })
        .collect()
}

/// The rings of one polygon's coordinates, each at least a triangle, closed.
fn polygon(coordinates: &Json, which: &dyn Fn() -> Message, file: &str) -> Result<Polygon> {
    let bad = |template| {
        refuse(
            file,
            Message::new(template).with_message("feature", which()),
        )
    };
    let Json::Array(rings) = coordinates else {
        return Err(bad(&message::GEO_BAD_POLYGON));
    };
    if rings.is_empty() {
        return Err(bad(&message::GEO_NO_RING));
    }
    rings
        .iter()
        .map(|ring| {
            let Json::Array(positions) = ring else {
                return Err(bad(&message::GEO_BAD_RING));
            };
            let mut out: Vec<[f64; 2]> = Vec::with_capacity(positions.len() + 1);
            for p in positions {
                let xy = match p {
                    Json::Array(c) if c.len() >= 2 => (number(&c[0]), number(&c[1])),
                    _ => (None, None),
                };
                match xy {
                    (Some(x), Some(y)) => out.push([x, y]),
                    _ => {
                        return Err(refuse(
                            file,
                            Message::new(&message::GEO_BAD_POSITION)
                                .with_message("feature", which())
                                .with("position", p),
                        ))
                    }
                }
            }
            if out.first() != out.last() {
                let first = out[0];
                out.push(first);
            }
            if out.len() < 4 {
                return Err(bad(&message::GEO_SHORT_RING));
            }
            Ok(out)
        })
        .collect()
}

/// A finite coordinate, also when written as a string (`"6.95"`).
fn number(v: &Json) -> Option<f64> {
    match v {
        Json::Number(n) => n.as_f64(),
        Json::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|x: &f64| x.is_finite())
}

/// The CRS a `crs` member names, and the offset to subtract from eastings (the zone written
/// before them: `32356548`).
fn crs_of_member(crs: &Json) -> std::result::Result<(Crs, f64), Message> {
    let name = crs
        .pointer("/properties/name")
        .or_else(|| crs.pointer("/properties/code"))
        .map(|v| match v {
            Json::String(s) => s.clone(),
            other => other.to_string(),
        })
        .unwrap_or_default();
    let upper = name.to_uppercase();
    if upper.ends_with("CRS84") || upper.ends_with("CRS:84") {
        return Ok((Crs::Geographic, 0.0));
    }
    let code: String = upper
        .rsplit(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap_or_default()
        .to_string();
    let utm = |zone: u8| Crs::Utm(Utm { zone });
    match code.as_str() {
        "4326" | "4258" | "4979" | "4937" => Ok((Crs::Geographic, 0.0)),
        "25832" | "32632" => Ok((utm(32), 0.0)),
        "25833" | "32633" => Ok((utm(33), 0.0)),
        "4647" => Ok((utm(32), 32_000_000.0)),
        "5650" => Ok((utm(33), 33_000_000.0)),
        _ => Err(Message::new(&message::GEO_UNKNOWN_CRS).with(
            "crs",
            if name.is_empty() {
                crs.to_string()
            } else {
                name
            },
        )),
    }
}

/// The CRS of a file without a `crs` member, from its first position: degrees are WGS84
/// (RFC 7946); metres in Germany's UTM range are zone 32 (the usual one of city geodata; a
/// zone-33 file without `crs` is drawn the same, only its reading in degrees would shift), and
/// an easting with the zone before it says its zone.
fn crs_of_coordinates([x, y]: [f64; 2]) -> Option<(Crs, f64)> {
    if (-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y) {
        return Some((Crs::Geographic, 0.0));
    }
    let northing = (5_000_000.0..=6_200_000.0).contains(&y);
    if northing && (100_000.0..=900_000.0).contains(&x) {
        return Some((Crs::Utm(Utm { zone: 32 }), 0.0));
    }
    for zone in [32u8, 33] {
        let offset = f64::from(zone) * 1_000_000.0;
        if northing && (offset + 100_000.0..=offset + 900_000.0).contains(&x) {
            return Some((Crs::Utm(Utm { zone }), offset));
        }
    }
    None
}

/// How district names and boundary properties are compared: case, spaces, hyphens, umlauts
/// and leading zeros of numbers do not matter (`Altstadt-Nord` = `altstadt nord`, `01` = `1`).
pub fn join_key(text: &str) -> String {
    let key = crate::read::column::measure_key(text);
    if !key.is_empty() && key.bytes().all(|b| b.is_ascii_digit()) {
        let trimmed = key.trim_start_matches('0');
        return if trimmed.is_empty() {
            "0".into()
        } else {
            trimmed.into()
        };
    }
    key
}

/// The join of districts and boundaries by one property.
#[derive(Clone, Debug, PartialEq)]
pub struct Join {
    /// The property the features join by.
    pub key: String,
    /// For each district (in the order given), the features (indices into `features`) that
    /// carry its name; empty when it has no boundary.
    pub areas: Vec<Vec<usize>>,
    /// Features whose property matches no district (indices into `features`).
    pub without_data: Vec<usize>,
}

impl Join {
    /// Joins by `key`.
    pub fn by(boundaries: &Boundaries, key: &str, districts: &[&str]) -> Join {
        let names: Vec<String> = districts.iter().map(|d| join_key(d)).collect();
        let mut areas = vec![Vec::new(); districts.len()];
        let mut without_data = Vec::new();
        for (f, feature) in boundaries.features.iter().enumerate() {
            let value = feature.property(key).map(join_key);
            match value.and_then(|v| names.iter().position(|n| *n == v)) {
                Some(d) => areas[d].push(f),
                None => without_data.push(f),
            }
        }
        Join {
            key: key.to_string(),
            areas,
            without_data,
        }
    }

    /// Joins by the property whose values match the most districts (the first such in the
    /// file's order on a tie); `None` when no property matches any district.
    pub fn suggest(boundaries: &Boundaries, districts: &[&str]) -> Option<Join> {
        boundaries
            .keys
            .iter()
            .map(|k| Join::by(boundaries, k, districts))
            .map(|j| (j.matched(), j))
            .filter(|(n, _)| *n > 0)
            .fold(None, |best: Option<(usize, Join)>, (n, j)| match best {
                Some((m, b)) if m >= n => Some((m, b)),
                _ => Some((n, j)),
            })
            .map(|(_, j)| j)
    }

    /// How many districts have a boundary.
    pub fn matched(&self) -> usize {
        self.areas.iter().filter(|a| !a.is_empty()).count()
    }

    /// The districts without a boundary (indices into the districts given).
    pub fn without_boundary(&self) -> Vec<usize> {
        (0..self.areas.len())
            .filter(|&d| self.areas[d].is_empty())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Boundaries> {
        read_boundaries("grenzen.geojson", text.as_bytes())
    }

    fn message(text: &str) -> String {
        read(text).expect_err("refused").to_string()
    }

    const SQUARE_UTM: &str = "[[[356000,5645000],[357000,5645000],[357000,5646000],[356000,5646000],[356000,5645000]],\
                              [[356400,5645400],[356600,5645400],[356600,5645600],[356400,5645600],[356400,5645400]]]";

    #[test]
    fn utm_polygon_with_a_hole_and_a_named_crs() {
        let b = read(&format!(
            r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"urn:ogc:def:crs:EPSG::25832"}}}},
               "bbox":[356000,5645000,357000,5646000],
               "features":[{{"type":"Feature","properties":{{"STT_NAME":"Altstadt-Nord","NR":"01","Fläche":1.5,"meta":{{"a":1}}}},
               "geometry":{{"type":"Polygon","coordinates":{SQUARE_UTM}}}}}]}}"#
        ))
        .expect("reads");
        assert_eq!(b.crs, Crs::Utm(Utm { zone: 32 }));
        assert!(!b.crs_guessed);
        assert_eq!(b.features.len(), 1);
        let f = &b.features[0];
        assert_eq!(f.polygons.len(), 1);
        assert_eq!(f.polygons[0].len(), 2, "outer ring and hole");
        assert_eq!(f.polygons[0][1][0], [356_400.0, 5_645_400.0]);
        assert_eq!(f.property("NR"), Some("01"));
        assert_eq!(f.property("Fläche"), Some("1.5"));
        assert_eq!(f.property("meta"), None);
    }

    #[test]
    fn wgs84_multipolygon_lands_on_the_utm_plane() {
        // The Mainz reference point (projection.rs) as a corner of a district in degrees,
        // with a third coordinate and numbers written as strings.
        let (lat, lon) = (50.0 + 1.989 / 3600.0, 8.0 + 16.0 / 60.0 + 31.918 / 3600.0);
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[
              {{"type":"Feature","properties":{{"name":"A"}},"geometry":{{"type":"MultiPolygon","coordinates":[
                [[[{lon},{lat},91.78],[8.3,50.0],[8.3,50.01],[{lon},{lat}]]],
                [[["8.31","50.02"],[8.32,50.02],[8.32,50.03],[8.31,50.02]]]]}}}},
              {{"type":"Feature","properties":{{"name":"B"}},"geometry":null}}]}}"#
        );
        let b = read(&text).expect("reads");
        assert_eq!(b.crs, Crs::Geographic);
        assert!(
            b.crs_guessed,
            "RFC 7946 without crs: WGS84 from the coordinates"
        );
        assert_eq!(b.plane, Utm { zone: 32 });
        assert_eq!(b.features[0].polygons.len(), 2);
        let [e, n] = b.features[0].polygons[0][0][0];
        assert!((e - 448_080.38).abs() < 0.25 && (n - 5_538_943.58).abs() < 0.25);
        assert_eq!(b.without_geometry, vec![2]);
    }

    #[test]
    fn latitude_first_and_empty_geometries_as_real_exports_write_them() {
        let b = read(
            r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4326"}},"features":[
              {"type":"Feature","properties":{"n":"A"},"geometry":{"type":"Polygon","coordinates":[[[50.0,8.3],[50.0,8.31],[50.01,8.31],[50.0,8.3]]]}},
              {"type":"Feature","properties":{"n":"B"},"geometry":{"type":"MultiPolygon","coordinates":[]}}]}"#,
        )
        .expect("reads");
        assert_eq!(b.plane, Utm { zone: 32 });
        let [e, n] = b.features[0].polygons[0][0][0];
        let (lat, lon) = b.plane.inverse(e, n);
        assert!(
            (lat - 50.0).abs() < 1e-9 && (lon - 8.3).abs() < 1e-9,
            "{lat} {lon}"
        );
        assert_eq!(b.without_geometry, vec![2]);
    }

    #[test]
    fn crs_from_names_zone_prefixes_and_coordinates() {
        for (name, crs) in [
            ("urn:ogc:def:crs:OGC:1.3:CRS84", Crs::Geographic),
            ("EPSG:4326", Crs::Geographic),
            ("EPSG:25833", Crs::Utm(Utm { zone: 33 })),
            ("urn:ogc:def:crs:EPSG::32632", Crs::Utm(Utm { zone: 32 })),
        ] {
            let member = serde_json::json!({"type": "name", "properties": {"name": name}});
            assert_eq!(crs_of_member(&member).map(|c| c.0), Ok(crs), "{name}");
        }
        // The Cologne cathedral as the city's cadastre publishes it, zone before the easting.
        assert_eq!(
            crs_of_coordinates([32_356_548.0, 5_645_283.0]),
            Some((Crs::Utm(Utm { zone: 32 }), 32_000_000.0))
        );
        assert_eq!(
            crs_of_coordinates([3_567_386.0, 5_645_554.0]),
            None,
            "Gauß-Krüger"
        );
    }

    #[test]
    fn refusals_name_the_feature_and_what_was_expected() {
        let unknown = message(&format!(
            r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"EPSG:31467"}}}},"features":[{{"type":"Feature","properties":{{}},"geometry":{{"type":"Polygon","coordinates":{SQUARE_UTM}}}}}]}}"#
        ));
        assert!(
            unknown.contains("EPSG:31467") && unknown.contains("EPSG:25832"),
            "{unknown}"
        );
        let point = message(
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Rathaus"},"geometry":{"type":"Point","coordinates":[7,51]}}]}"#,
        );
        assert!(
            point.contains("Feature 1 (name = „Rathaus“)") && point.contains("Polygon"),
            "{point}"
        );
        let outside = message(
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":3},"geometry":{"type":"Polygon","coordinates":[[[7,51],[7.1,51],[7.1,95],[7,51]]]}}]}"#,
        );
        assert!(
            outside.contains("Feature 1") && outside.contains("95"),
            "{outside}"
        );
        let two = message(
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":null,"geometry":{"type":"Polygon","coordinates":[[[7,51],[7.1,51],[7,51]]]}}]}"#,
        );
        assert!(two.contains("weniger als drei Ecken"), "{two}");
        assert!(message(r#"{"type":"FeatureCollection","features":[]}"#).contains("keine Fläche"));
        assert!(message("[1,2").contains("Keine lesbare GeoJSON-Datei"));
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(message(&deep).contains("Keine lesbare GeoJSON-Datei"));
    }

    #[test]
    fn the_join_takes_the_property_matching_most_districts() {
        let feature = |name: &str, nr: &str| {
            format!(
                r#"{{"type":"Feature","properties":{{"gid":"x{nr}","name":"{name}","nr":{nr}}},"geometry":{{"type":"Polygon","coordinates":{SQUARE_UTM}}}}}"#
            )
        };
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{},{},{}]}}"#,
            feature("Altstadt-Nord", "1"),
            feature("Deutz", "2"),
            feature("Flughafen", "9")
        );
        let b = read(&text).expect("reads");
        let by_name = Join::suggest(&b, &["altstadt nord", "Deutz", "Porz"]).expect("a join");
        assert_eq!(by_name.key, "name");
        assert_eq!(by_name.areas, vec![vec![0], vec![1], vec![]]);
        assert_eq!(by_name.without_boundary(), vec![2]);
        assert_eq!(by_name.without_data, vec![2]);
        let by_number = Join::suggest(&b, &["01", "02", "03"]).expect("a join");
        assert_eq!(by_number.key, "nr");
        assert_eq!(by_number.matched(), 2);
        assert!(Join::suggest(&b, &["Ehrenfeld"]).is_none());
    }
}
