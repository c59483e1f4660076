//! `Region` is the document's `servers`: every server with an
//! `x-jc-region` code is a region whose base URL is the server's URL, read
//! here from the raw pinned file, without the generator.

use std::path::{Path, PathBuf};

use jumpcloud_client::{Client, Region};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `(code, url)` of every server of the pinned document.
fn raw_servers() -> Vec<(String, String)> {
    let manifest = std::fs::read_to_string(workspace().join("spec/manifest.toml")).unwrap();
    let relative = manifest
        .lines()
        .skip_while(|line| line.trim() != "[document]")
        .find_map(|line| line.trim().strip_prefix("path = "))
        .expect("document path in the manifest")
        .trim_matches('"')
        .to_owned();
    let text = std::fs::read_to_string(workspace().join(relative)).unwrap();
    let raw: serde_json::Value = serde_yaml::from_str(&text).unwrap();
    raw["servers"]
        .as_array()
        .expect("the document lists servers")
        .iter()
        .map(|s| {
            (
                s["x-jc-region"].as_str().expect("x-jc-region").to_string(),
                s["url"]
                    .as_str()
                    .expect("url")
                    .trim_end_matches('/')
                    .to_string(),
            )
        })
        .collect()
}

#[test]
fn every_region_of_the_document_and_only_those() {
    let expected = raw_servers();
    assert_eq!(expected.len(), 3, "US, EU and India: {expected:?}");
    let regions: Vec<(String, String)> = Region::ALL
        .iter()
        .map(|r| (r.code().unwrap().to_string(), r.base_url().to_string()))
        .collect();
    assert_eq!(regions, expected);
    assert_eq!(Region::default(), Region::ALL[0]);
}

#[test]
fn the_region_setting_routes_the_client() {
    for region in Region::ALL {
        let client = Client::builder()
            .api_key("k")
            .region(*region)
            .build()
            .unwrap();
        assert_eq!(client.base_url(), region.base_url());
    }
    let india = Region::ALL.iter().find(|r| r.code() == Some("in")).unwrap();
    assert_eq!(india.base_url(), "https://console.in.jumpcloud.com/api/v2");
}
