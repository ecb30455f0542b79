//! The district level (CONTRACT §1): a file whose unit column is a district of the own city
//! (Stadtteil, Stadtbezirk, Sozialraum, …) loads like any other upload, the district column as
//! a dimension named by its header. [`Districts`] turns such a dataset into one whose units are
//! the districts plus the whole city as their reference, so the catalogue's KPIs are computed
//! per district by the same code as per municipality.

use std::collections::BTreeMap;

use crate::dataset::{CellKey, Cells, Dataset, MeasureKind, Municipality, Observation};

use crate::read::column::is_district_header;
use crate::read::upload::is_total;
use crate::value::{Reason, Value};

/// Where the city's own figures (the reference of its districts) come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CityFigures {
    /// A total row of the district file (`Insgesamt`, `Gesamt`).
    TotalRow,
    /// The city's row in the other loaded data (the ring file).
    Loaded,
    /// The sum of the districts (counts and money only; rates cannot be added up).
    Sum,
}

/// The districts of one city as units: `dataset.municipalities` are the districts in order of
/// first appearance, then the whole city (marked as an aggregate) as the last unit.
#[derive(Clone, Debug, PartialEq)]
pub struct Districts {
    /// The header of the district column (`Stadtteil`), the field name in exports.
    pub dimension: String,
    /// The city's name as the file gives it (empty when the file names none).
    pub city: String,
    /// Districts and city as units, no dimensions.
    pub dataset: Dataset,
    /// Where the city's figures come from.
    pub reference: CityFigures,
}

impl Districts {
    /// The name the city unit carries when the file names no city.
    pub const UNNAMED_CITY: &'static str = "Gesamtstadt";

    /// The districts of municipality `municipality` of a district file; `None` when the dataset
    /// has no district dimension or no cells of that municipality.
    pub fn of(dataset: &Dataset, municipality: usize) -> Option<Districts> {
        let d = district_dimension(dataset)?;
        let default = dataset.combinations.first()?;
        // Combinations that differ from the default only in the district: other breakdowns
        // (Geschlecht) stay at their total, so a district's figures are not counted twice.
        let mut units: Vec<String> = Vec::new();
        let mut unit_of: Vec<Option<usize>> = vec![None; dataset.combinations.len()];
        let mut total = None;
        for (c, combination) in dataset.combinations.iter().enumerate() {
            let others_default = combination
                .iter()
                .zip(default)
                .enumerate()
                .all(|(j, (v, w))| j == d || v == w);
            let Some(name) = combination.get(d).filter(|_| others_default) else {
                continue;
            };
            if is_total(name) {
                total = Some(c);
                continue;
            }
            let name = name.trim();
            let unit = match units.iter().position(|u| u == name) {
                Some(u) => u,
                None => {
                    units.push(name.to_string());
                    units.len() - 1
                }
            };
            unit_of[c] = Some(unit);
        }
        if let Some(t) = total {
            unit_of[t] = Some(units.len());
        }
        let city_unit = units.len();
        let cells: Cells = dataset
            .cells
            .iter()
            .filter(|(key, _)| key.municipality == municipality)
            .filter_map(|(key, observation)| {
                let unit = unit_of.get(key.combination).copied().flatten()?;
                Some((
                    CellKey {
                        municipality: unit,
                        combination: 0,
                        ..key
                    },
                    observation,
                ))
            })
            .collect();
        if cells.is_empty() || units.is_empty() {
            return None;
        }
        let city = dataset.municipalities.get(municipality)?;
        let mut municipalities: Vec<Municipality> = units
            .into_iter()
            .map(|name| Municipality {
                name,
                code: None,
                aggregate: false,
            })
            .collect();
        municipalities.push(Municipality {
            name: if city.name.is_empty() {
                Districts::UNNAMED_CITY.to_string()
            } else {
                city.name.clone()
            },
            code: city.code.clone(),
            aggregate: true,
        });
        let mut districts = Districts {
            dimension: dataset.dimensions[d].clone(),
            city: city.name.clone(),
            dataset: Dataset {
                files: dataset.files.clone(),
                municipalities,
                measures: dataset.measures.clone(),
                dimensions: Vec::new(),
                combinations: vec![Vec::new()],
                cells,
                duplicates: Vec::new(),
            },
            reference: CityFigures::TotalRow,
        };
        if total.is_none() {
            districts.sum_city(city_unit);
        }
        Some(districts)
    }

    /// The number of districts (the city unit follows them).
    pub fn len(&self) -> usize {
        self.dataset.municipalities.len() - 1
    }

    /// Whether there is no district (never true for a value of [`Districts::of`]).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The index of the city unit in `dataset.municipalities`.
    pub fn city_unit(&self) -> usize {
        self.len()
    }

    /// The districts' names, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> + '_ {
        self.dataset.municipalities[..self.len()]
            .iter()
            .map(|m| m.name.as_str())
    }

    /// The city's figures as the sum of its districts, per year and measure: counts and money
    /// add up; a rate, or a year in which a district's figure is missing, gives no sum (with
    /// the district and its reason), never a sum of a part.
    fn sum_city(&mut self, city: usize) {
        self.reference = CityFigures::Sum;
        let mut sums: BTreeMap<CellKey, Observation> = BTreeMap::new();
        for (key, observation) in self.dataset.cells.iter() {
            let city_key = CellKey {
                municipality: city,
                ..key
            };
            let rate = self.dataset.measures[key.measure].kind == MeasureKind::Rate;
            let entry = sums.entry(city_key).or_insert_with(|| Observation {
                value: if rate {
                    Value::Missing(Reason::NoRecord)
                } else {
                    Value::Number(0.0)
                },
                flag: None,
                source: observation.source,
            });
            let district = &self.dataset.municipalities[key.municipality].name;
            let sum = &mut entry.value;
            match (&*sum, &observation.value) {
                (Value::Number(s), Value::Number(x)) => *sum = Value::Number(s + x),
                (Value::Number(_), Value::Missing(reason)) => {
                    *sum = Value::Missing(Reason::Input(district.clone(), Box::new(reason.clone())))
                }
                (Value::Missing(_), _) => {}
            }
        }
        self.dataset.cells = self.dataset.cells.iter().chain(sums).collect();
    }

    /// Takes the city's figures from other loaded data (the ring file) where they hold the
    /// city by name and the district file has no total row: the city's own figures are the
    /// better reference than a sum that misses, say, people without a district.
    pub fn use_city_figures(&mut self, other: &Dataset) {
        if self.reference == CityFigures::TotalRow || self.city.is_empty() {
            return;
        }
        let Some(m) = other.municipality_index(&self.city) else {
            return;
        };
        let city = self.city_unit();
        let measures: Vec<Option<usize>> = self
            .dataset
            .measures
            .iter()
            .map(|measure| other.measure_index(&measure.key))
            .collect();
        let years = self.dataset.years();
        let mut taken = false;
        let replaced: Vec<(CellKey, Observation)> = years
            .iter()
            .flat_map(|&year| {
                measures
                    .iter()
                    .enumerate()
                    .filter_map(move |(i, o)| Some((year, i, (*o)?)))
            })
            .filter_map(|(year, i, o)| {
                let observation = other.get(m, year, o)?;
                Some((
                    CellKey {
                        municipality: city,
                        year,
                        combination: 0,
                        measure: i,
                    },
                    observation,
                ))
            })
            .inspect(|_| taken = true)
            .collect();
        if !taken {
            return;
        }
        self.reference = CityFigures::Loaded;
        // Observations of the other data keep their source line; the file index is theirs.
        self.dataset.cells = self.dataset.cells.iter().chain(replaced).collect();
    }
}

/// The index of the district dimension of a dataset, if it has one.
pub fn district_dimension(dataset: &Dataset) -> Option<usize> {
    dataset
        .dimensions
        .iter()
        .position(|name| is_district_header(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::kpi::KpiTable;
    use crate::catalogue::definition::Catalogue;
    use crate::read::upload::load;

    #[test]
    fn district_headers() {
        for (header, expected) in [
            ("Stadtteil", true),
            ("Stadtteilname", true),
            ("Stadtbezirk Nr.", true),
            ("Sozialraum", true),
            ("Planungsraum", true),
            ("Ortsteil", true),
            ("Bezirk", true),
            ("district", true),
            ("Einwohner im Bezirk", false),
            ("Bezirksausgaben insgesamt in EUR", false),
            ("Stadt", false),
            ("Kommune", false),
        ] {
            assert_eq!(is_district_header(header), expected, "{header}");
        }
    }

    fn districts(text: &str) -> Districts {
        let upload = load("stadtteile.csv", text.as_bytes()).expect("loads");
        Districts::of(&upload.dataset, 0).expect("a district file")
    }

    #[test]
    fn district_file_without_city_sums_the_districts() {
        // Windows-1252 and a title line, as an office exports it: the reader's usual path.
        let text = "Sozialdaten nach Stadtteilen\nStadtteil;Jahr;Einwohner;Leistungsberechtigte HLU;Arbeitslosenquote\n\
                    Nord;2022;1.000;12;5,0\nSüd;2022;2.000;30;7,5\nNord;2023;1.100;.;5,5\nSüd;2023;2.100;28;7,0\n";
        let bytes: Vec<u8> = text
            .chars()
            .map(|c| if c == 'ü' { 0xFC } else { c as u8 })
            .collect();
        let upload = load("stadtteile.csv", &bytes).expect("loads");
        let d = Districts::of(&upload.dataset, 0).expect("a district file");
        assert_eq!(d.dimension, "Stadtteil");
        assert_eq!(d.names().collect::<Vec<_>>(), ["Nord", "Süd"]);
        assert_eq!(d.reference, CityFigures::Sum);
        let city = d.city_unit();
        assert_eq!(d.dataset.municipalities[city].name, Districts::UNNAMED_CITY);
        let m = |key: &str| d.dataset.measure_index(key).expect("measure");
        assert_eq!(
            d.dataset.value(city, 2022, m("einwohner")),
            Value::Number(3000.0)
        );
        assert_eq!(
            d.dataset.value(city, 2023, m("einwohner")),
            Value::Number(3200.0)
        );
        // A missing part gives no sum, and says which district lacks it.
        assert_eq!(
            d.dataset.value(city, 2023, m("leistungsberechtigte_hlu")),
            Value::Missing(Reason::Input("Nord".into(), Box::new(Reason::Unknown)))
        );
        // Rates do not add up.
        assert!(d
            .dataset
            .value(city, 2022, m("arbeitslosenquote"))
            .number()
            .is_none());
        let kpis = KpiTable::compute(&Catalogue::builtin(), &d.dataset);
        let dichte = kpis.kpi_index("dichte_hlu").expect("builtin KPI");
        assert_eq!(kpis.number(0, 2022, dichte), Some(12.0));
        assert_eq!(kpis.number(1, 2022, dichte), Some(15.0));
        assert_eq!(kpis.number(city, 2022, dichte), Some(42.0 / 3.0));
    }

    #[test]
    fn a_total_row_is_the_city_and_other_breakdowns_stay_at_their_total() {
        let text = "Stadt,Sozialraum,Geschlecht,Jahr,Einwohner\n\
                    Musterstadt,Insgesamt,Insgesamt,2023,5000\nMusterstadt,A,Insgesamt,2023,2000\n\
                    Musterstadt,B,Insgesamt,2023,2500\nMusterstadt,A,weiblich,2023,1000\n\
                    Musterstadt,B,weiblich,2023,1200\n";
        let d = districts(text);
        assert_eq!(d.names().collect::<Vec<_>>(), ["A", "B"]);
        assert_eq!(d.city, "Musterstadt");
        assert_eq!(d.reference, CityFigures::TotalRow);
        let m = d.dataset.measure_index("einwohner").expect("measure");
        assert_eq!(d.dataset.value(0, 2023, m), Value::Number(2000.0));
        assert_eq!(d.dataset.value(1, 2023, m), Value::Number(2500.0));
        // The loaded total, not the sum 4500: people without a district count for the city.
        assert_eq!(d.dataset.value(2, 2023, m), Value::Number(5000.0));
    }

    #[test]
    fn the_city_figures_of_the_ring_file_replace_the_sum() {
        let mut d = districts(
            "Stadt;Stadtteil;Jahr;Einwohner\nMusterstadt;Nord;2023;100\nMusterstadt;Süd;2023;200\n",
        );
        assert_eq!(d.reference, CityFigures::Sum);
        let ring = load(
            "ring.csv",
            b"Kommune;Jahr;Einwohner\nAndere;2023;9\nMusterstadt;2023;310\n",
        )
        .expect("loads");
        d.use_city_figures(&ring.dataset);
        assert_eq!(d.reference, CityFigures::Loaded);
        let m = d.dataset.measure_index("einwohner").expect("measure");
        assert_eq!(
            d.dataset.value(d.city_unit(), 2023, m),
            Value::Number(310.0)
        );
        assert_eq!(d.dataset.value(0, 2023, m), Value::Number(100.0));
    }

    #[test]
    fn numbered_districts_and_long_files() {
        let d = districts("Bezirk;Jahr;Merkmal;Wert\n01;2023;Einwohner;10\n02;2023;Einwohner;20\n");
        assert_eq!(d.names().collect::<Vec<_>>(), ["01", "02"]);
        let m = d.dataset.measure_index("einwohner").expect("measure");
        assert_eq!(d.dataset.value(2, 2023, m), Value::Number(30.0));
    }

    #[test]
    fn a_ring_file_has_no_districts() {
        let upload = load("ring.csv", b"Kommune;Jahr;Einwohner\nA;2023;1\n").expect("loads");
        assert!(Districts::of(&upload.dataset, 0).is_none());
    }
}
