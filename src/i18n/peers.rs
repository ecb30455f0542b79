//! Strings of the explained peer search (each context key's part of the distance, the weights,
//! the group's stability) and of the bands that pseudonymised context values are shown in.

/// The strings of one language.
#[allow(missing_docs)]
pub struct PeersTexts {
    pub weights_legend: &'static str,
    pub weights_hint: &'static str,
    /// `{key}`: the label of the key whose weight is typed.
    pub weight_of: &'static str,
    /// `{text}`: what was typed.
    pub weight_error: &'static str,
    pub parts_caption: &'static str,
    pub parts_how: &'static str,
    pub parts_bar: &'static str,
    pub stability_heading: &'static str,
    /// `{key}`, `{stay}` of `{k}`.
    pub without: &'static str,
    /// `{names}` who leave and join.
    pub leave: &'static str,
    pub join: &'static str,
    /// `{k}` and `{name}`, the farthest member.
    pub fewer: &'static str,
    /// `{k}`, `{name}`, its `{distance}` and the farthest member's `{last}`.
    pub more: &'static str,
    pub single_key: &'static str,
    /// Shown next to a pseudonymised context value: what the band means.
    pub banded: &'static str,
    /// `{names}`: pseudonymised members that the shown bands still single out.
    pub unique_warning: &'static str,
    pub thousand: &'static str,
    pub million: &'static str,
    /// A figure of another municipality's raw row, hidden while pseudonymised.
    pub hidden: &'static str,
    pub hidden_rows: &'static str,
}

pub const DE: PeersTexts = PeersTexts {
    weights_legend: "Gewichte der Merkmale",
    weights_hint: "1 = normal, 2 = doppelt so wichtig, 0 = zählt nicht. Zahlen ab 0, z. B. 0,5.",
    weight_of: "Gewicht „{key}“",
    weight_error: "„{text}“ ist kein Gewicht: bitte eine Zahl ab 0 eingeben, z. B. 1 oder 0,5.",
    parts_caption: "Woraus sich der Abstand zusammensetzt",
    parts_how: "Je Merkmal sein Beitrag zum Abstand (gewichtete quadrierte z-Differenz geteilt durch den Abstand; die Beiträge ergeben zusammen den Abstand) und in Klammern sein Anteil.",
    parts_bar: "Anteile",
    stability_heading: "Wie stabil ist die Gruppe?",
    without: "Ohne „{key}“ bleiben {stay} von {k}.",
    leave: "Es fielen heraus: {names}.",
    join: "Es kämen hinzu: {names}.",
    fewer: "Mit {k} statt {k_now} Kommunen fiele {name} heraus.",
    more: "Mit {k} Kommunen käme {name} hinzu (Abstand {distance}; die bisher entfernteste: {last}).",
    single_key: "Mit nur einem gewichteten Merkmal lässt sich keines weglassen.",
    banded: "Kontextwerte anderer Kommunen in Größenklassen (pseudonymisiert)",
    unique_warning: "Achtung: {names} – trotz Größenklassen allein in der eigenen Klasse und damit erkennbar.",
    thousand: "Tsd.",
    million: "Mio.",
    hidden: "•••",
    hidden_rows: "Pseudonymisiert: Zahlen in Zeilen anderer Kommunen sind ausgeblendet (•••).",
};

pub const EN: PeersTexts = PeersTexts {
    weights_legend: "Weights of the characteristics",
    weights_hint: "1 = normal, 2 = twice as important, 0 = does not count. Numbers from 0, e.g. 0.5.",
    weight_of: "Weight “{key}”",
    weight_error: "“{text}” is no weight: please type a number from 0, e.g. 1 or 0.5.",
    parts_caption: "What the distance is made of",
    parts_how: "Per characteristic its part of the distance (weighted squared z difference divided by the distance; together the parts make the distance) and in brackets its share.",
    parts_bar: "Shares",
    stability_heading: "How stable is the group?",
    without: "Without “{key}”, {stay} of {k} stay.",
    leave: "Leaving: {names}.",
    join: "Joining: {names}.",
    fewer: "With {k} instead of {k_now} municipalities, {name} would leave.",
    more: "With {k} municipalities, {name} would join (distance {distance}; the farthest so far: {last}).",
    single_key: "With only one weighted characteristic none can be left out.",
    banded: "Context values of other municipalities in size bands (pseudonymised)",
    unique_warning: "Caution: {names} – alone in its bands despite the banding, and so recognisable.",
    thousand: "thousand",
    million: "million",
    hidden: "•••",
    hidden_rows: "Pseudonymised: figures in rows of other municipalities are hidden (•••).",
};
