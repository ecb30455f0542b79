//! The Universal Transverse Mercator projection on the GRS80 ellipsoid (ETRS89, EPSG:258xx),
//! both ways, by Krüger's series in the form of Karney, "Transverse Mercator with an accuracy
//! of a few nanometers" (J. Geodesy 85, 2011), eqs. 7–11 and 35–36, to sixth order in n:
//! far below a millimetre inside a zone, so boundaries in WGS84 and in UTM meet on one plane.
//! WGS84 and GRS80 differ by 0.1 mm in the semi-minor axis; the same formulas serve both.

/// GRS80 semi-major axis in metres.
const A: f64 = 6_378_137.0;
/// GRS80 flattening.
const F: f64 = 1.0 / 298.257_222_101;
/// UTM scale on the central meridian.
const K0: f64 = 0.9996;
/// UTM false easting in metres.
const FALSE_EASTING: f64 = 500_000.0;

/// A UTM zone of the northern hemisphere (Germany: 32 and 33).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Utm {
    /// The zone number, 1–60.
    pub zone: u8,
}

/// The series coefficients and constants derived from the ellipsoid.
struct Series {
    e: f64,
    big_a: f64,
    alpha: [f64; 6],
    beta: [f64; 6],
}

fn series() -> Series {
    let n = F / (2.0 - F);
    let (n2, n3) = (n * n, n * n * n);
    let (n4, n5, n6) = (n2 * n2, n2 * n3, n3 * n3);
    Series {
        e: (F * (2.0 - F)).sqrt(),
        big_a: A / (1.0 + n) * (1.0 + n2 / 4.0 + n4 / 64.0 + n6 / 256.0),
        alpha: [
            n / 2.0 - 2.0 / 3.0 * n2 + 5.0 / 16.0 * n3 + 41.0 / 180.0 * n4 - 127.0 / 288.0 * n5
                + 7891.0 / 37800.0 * n6,
            13.0 / 48.0 * n2 - 3.0 / 5.0 * n3 + 557.0 / 1440.0 * n4 + 281.0 / 630.0 * n5
                - 1_983_433.0 / 1_935_360.0 * n6,
            61.0 / 240.0 * n3 - 103.0 / 140.0 * n4
                + 15061.0 / 26880.0 * n5
                + 167_603.0 / 181_440.0 * n6,
            49561.0 / 161_280.0 * n4 - 179.0 / 168.0 * n5 + 6_601_661.0 / 7_257_600.0 * n6,
            34729.0 / 80640.0 * n5 - 3_418_889.0 / 1_995_840.0 * n6,
            212_378_941.0 / 319_334_400.0 * n6,
        ],
        beta: [
            n / 2.0 - 2.0 / 3.0 * n2 + 37.0 / 96.0 * n3 - 1.0 / 360.0 * n4 - 81.0 / 512.0 * n5
                + 96199.0 / 604_800.0 * n6,
            n2 / 48.0 + n3 / 15.0 - 437.0 / 1440.0 * n4 + 46.0 / 105.0 * n5
                - 1_118_711.0 / 3_870_720.0 * n6,
            17.0 / 480.0 * n3 - 37.0 / 840.0 * n4 - 209.0 / 4480.0 * n5 + 5569.0 / 90720.0 * n6,
            4397.0 / 161_280.0 * n4 - 11.0 / 504.0 * n5 - 830_251.0 / 7_257_600.0 * n6,
            4583.0 / 161_280.0 * n5 - 108_847.0 / 3_991_680.0 * n6,
            20_648_693.0 / 638_668_800.0 * n6,
        ],
    }
}

/// The conformal latitude's tangent τ' of a geodetic latitude's tangent τ (Karney eq. 7).
fn conformal(tau: f64, e: f64) -> f64 {
    let sigma = (e * (e * tau / (1.0 + tau * tau).sqrt()).atanh()).sinh();
    tau * (1.0 + sigma * sigma).sqrt() - sigma * (1.0 + tau * tau).sqrt()
}

impl Utm {
    /// The zone a longitude lies in.
    pub fn of_longitude(lon: f64) -> Utm {
        let zone = ((lon + 180.0) / 6.0).floor().clamp(0.0, 59.0) as u8 + 1;
        Utm { zone }
    }

    fn central_meridian(self) -> f64 {
        (f64::from(self.zone) * 6.0 - 183.0).to_radians()
    }

    /// Easting and northing in metres of a latitude and longitude in degrees.
    pub fn forward(self, lat: f64, lon: f64) -> (f64, f64) {
        let s = series();
        let (phi, lambda) = (lat.to_radians(), lon.to_radians() - self.central_meridian());
        let tau_p = conformal(phi.tan(), s.e);
        let xi_p = tau_p.atan2(lambda.cos());
        let eta_p = (lambda.sin() / (tau_p * tau_p + lambda.cos().powi(2)).sqrt()).asinh();
        let (mut xi, mut eta) = (xi_p, eta_p);
        for (j, a) in s.alpha.iter().enumerate() {
            let k = 2.0 * (j as f64 + 1.0);
            xi += a * (k * xi_p).sin() * (k * eta_p).cosh();
            eta += a * (k * xi_p).cos() * (k * eta_p).sinh();
        }
        (FALSE_EASTING + K0 * s.big_a * eta, K0 * s.big_a * xi)
    }

    /// Latitude and longitude in degrees of an easting and northing in metres.
    pub fn inverse(self, easting: f64, northing: f64) -> (f64, f64) {
        let s = series();
        let xi = northing / (K0 * s.big_a);
        let eta = (easting - FALSE_EASTING) / (K0 * s.big_a);
        let (mut xi_p, mut eta_p) = (xi, eta);
        for (j, b) in s.beta.iter().enumerate() {
            let k = 2.0 * (j as f64 + 1.0);
            xi_p -= b * (k * xi).sin() * (k * eta).cosh();
            eta_p -= b * (k * xi).cos() * (k * eta).sinh();
        }
        let tau_p = xi_p.sin() / (eta_p.sinh().powi(2) + xi_p.cos().powi(2)).sqrt();
        // Newton's method on τ (Karney eqs. 19–21); it converges in two or three steps, the
        // bound only guards against a pathological input.
        let e2 = s.e * s.e;
        let mut tau = tau_p;
        for _ in 0..8 {
            let t = conformal(tau, s.e);
            let step = (tau_p - t) / (1.0 + t * t).sqrt() * (1.0 + (1.0 - e2) * tau * tau)
                / ((1.0 - e2) * (1.0 + tau * tau).sqrt());
            tau += step;
            if step.abs() < 1e-14 {
                break;
            }
        }
        let lambda = eta_p.sinh().atan2(xi_p.cos());
        (
            tau.atan().to_degrees(),
            (lambda + self.central_meridian()).to_degrees(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Published reference points of German cities' surveying offices, each given in ETRS89
    /// geographic coordinates and in UTM zone 32 by the office itself:
    /// - Kassel, Rathaus (Amt Vermessung und Geoinformation; nordhessen-rundschau.de, "Erster
    ///   öffentlicher GPS-Referenzpunkt in Kassel"): 51°18,7364' N 9°29,5402' E,
    ///   32U E 534314,52 N 5684666,82;
    /// - Mainz, Rathausbrücke (mainz.de, "Geodätischer Referenzpunkt"):
    ///   50°00'01,989'' N 8°16'31,918'' E, 32U E 448080,38 N 5538943,58;
    /// - Mönchengladbach-Rheydt, Marktplatz (moenchengladbach.de, "GPS-Referenzpunkt"):
    ///   51,1676546° N 6,4454264° E, 32U E 321405,97 N 5671571,34.
    fn published() -> [(&'static str, f64, f64, f64, f64); 3] {
        [
            (
                "Kassel",
                51.0 + 18.7364 / 60.0,
                9.0 + 29.5402 / 60.0,
                534_314.52,
                5_684_666.82,
            ),
            (
                "Mainz",
                50.0 + 1.989 / 3600.0,
                8.0 + 16.0 / 60.0 + 31.918 / 3600.0,
                448_080.38,
                5_538_943.58,
            ),
            (
                "Mönchengladbach",
                51.167_654_6,
                6.445_426_4,
                321_405.97,
                5_671_571.34,
            ),
        ]
    }

    /// Metres per degree of latitude, near enough to judge a difference of a few centimetres.
    const M_PER_DEGREE: f64 = 111_200.0;

    #[test]
    fn published_points_both_ways_within_a_metre() {
        let utm = Utm { zone: 32 };
        for (place, lat, lon, east, north) in published() {
            let (e, n) = utm.forward(lat, lon);
            // The published minutes and seconds carry 0.0001' (19 cm) and 0.001'' (3 cm).
            assert!((e - east).abs() < 0.25, "{place}: easting {e} vs {east}");
            assert!((n - north).abs() < 0.25, "{place}: northing {n} vs {north}");
            let (la, lo) = utm.inverse(east, north);
            let dn = (la - lat) * M_PER_DEGREE;
            let de = (lo - lon) * M_PER_DEGREE * lat.to_radians().cos();
            assert!(dn.abs() < 0.25 && de.abs() < 0.25, "{place}: {la} {lo}");
        }
    }

    #[test]
    fn round_trips_across_zone_33_and_the_zone_of_a_longitude() {
        assert_eq!(Utm::of_longitude(13.4), Utm { zone: 33 });
        assert_eq!(Utm::of_longitude(9.0), Utm { zone: 32 });
        assert_eq!(Utm::of_longitude(-0.1), Utm { zone: 30 });
        // Berlin in zone 33 and, 4.4° off the central meridian, in zone 32 (city data of
        // the eastern Länder are sometimes kept in 32 too).
        for zone in [32, 33] {
            let utm = Utm { zone };
            let (e, n) = utm.forward(52.516_3, 13.377_7);
            let (lat, lon) = utm.inverse(e, n);
            assert!((lat - 52.516_3).abs() < 1e-9 && (lon - 13.377_7).abs() < 1e-9);
        }
        // On the central meridian the easting is the false easting exactly.
        let (e, _) = Utm { zone: 33 }.forward(52.0, 15.0);
        assert!((e - 500_000.0).abs() < 1e-6);
    }
}
