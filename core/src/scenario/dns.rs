//! Checks of the scenario's `route53` and `cloudMap` members (ecs-semantics §5.2, §5.3), with
//! Route 53's wording where it has one, compiled into `discovery::RecordConfig` and
//! `discovery::CloudMapServiceConfig`. The shapes live in `discovery.rs`.

use super::discovery::{CloudMapSpec, RecordSpec, Route53Spec};
use super::discovery::{CLOUD_MAP_SERVICES_MAX, RECORDS_MAX, WEIGHTED_RECORDS_MAX};
use crate::compact::SortedMap;
use crate::discovery::{
    CloudMapServiceConfig, LoadBalancerId, NamespaceType, RecordConfig, RecordTarget, RecordType,
};
use crate::json_input::cut;
use std::collections::BTreeSet;

/// Fully qualified, lowercase, without the trailing dot.
fn normalized_name(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

fn valid_dns_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'*')
        })
}

/// Record sets by (name, type): (weighted?, set identifiers, first record's path), `None`
/// before a record of the set was read.
type RecordSets = SortedMap<(String, RecordType), Option<(bool, BTreeSet<String>, String)>>;

pub(super) fn records(
    spec: &Route53Spec,
    balancer_ids: &SortedMap<&str, LoadBalancerId>,
    push: &mut impl FnMut(String, String),
) -> Vec<RecordConfig> {
    let mut compiled = Vec::new();
    let total: usize = spec.hosted_zones.iter().map(|z| z.records.len()).sum();
    if total > RECORDS_MAX {
        push(
            "route53.hostedZones".into(),
            format!("{total} records; the sandbox limit is {RECORDS_MAX}"),
        );
        return compiled;
    }
    let mut zones = BTreeSet::new();
    // (name, type) → (weighted?, set identifiers, first record's path) once a record made it:
    // every key sorted in once (20,000 inserted one by one would move n² pairs), then looked
    // up; a `SortedMap` rather than a B-tree keyed by the pair, one instantiation fewer in the
    // wasm app. It iterates in the same order.
    let keys = spec
        .hosted_zones
        .iter()
        .flat_map(|zone| &zone.records)
        .map(|record| ((normalized_name(&record.name), record.kind), None))
        .collect();
    let mut sets: RecordSets = SortedMap::from_pairs(keys, |_, _| {});
    for (z, zone) in spec.hosted_zones.iter().enumerate() {
        let at = format!("route53.hostedZones[{z}]");
        let zone_name = normalized_name(&zone.name);
        if !valid_dns_name(&zone_name) {
            push(
                format!("{at}.name"),
                format!("{} is not a domain name", cut(&zone.name)),
            );
            continue;
        }
        if !zones.insert(zone_name.clone()) {
            push(
                format!("{at}.name"),
                format!("a hosted zone named {zone_name} already exists"),
            );
        }
        for (r, record) in zone.records.iter().enumerate() {
            let at = format!("{at}.records[{r}]");
            let before = compiled.len();
            if let Some(config) =
                record_config(record, &at, &zone_name, balancer_ids, &mut sets, push)
            {
                compiled.push(config);
            }
            debug_assert!(compiled.len() <= before + 1);
        }
    }
    for ((name, kind), set) in &sets {
        let Some((weighted, identifiers, path)) = set else {
            continue;
        };
        if *weighted && identifiers.len() > WEIGHTED_RECORDS_MAX {
            push(
                path.clone(),
                format!(
                    "{} weighted {} records for {name}; Route 53 allows {WEIGHTED_RECORDS_MAX}",
                    identifiers.len(),
                    kind.as_str()
                ),
            );
        }
    }
    compiled
}

fn record_config(
    record: &RecordSpec,
    at: &str,
    zone_name: &str,
    balancer_ids: &SortedMap<&str, LoadBalancerId>,
    sets: &mut RecordSets,
    push: &mut impl FnMut(String, String),
) -> Option<RecordConfig> {
    let mut ok = true;
    let mut fail = |path: String, message: String| {
        ok = false;
        push(path, message);
    };
    let name = normalized_name(&record.name);
    if !valid_dns_name(&name) {
        fail(
            format!("{at}.name"),
            format!("{} is not a domain name", cut(&record.name)),
        );
    } else if name != zone_name && !name.ends_with(&format!(".{zone_name}")) {
        fail(
            format!("{at}.name"),
            format!("RRSet with DNS name {name}. is not permitted in zone {zone_name}."),
        );
    }
    if let Some(weight) = record.weight.filter(|w| *w > 255) {
        fail(
            format!("{at}.weight"),
            format!("must be from 0 to 255, found {weight}"),
        );
    }
    let weighted = record.weight.is_some();
    match (&record.set_identifier, weighted) {
        (Some(_), false) => fail(
            format!("{at}.weight"),
            "a record with a setIdentifier needs a weight (weighted routing)".into(),
        ),
        (None, true) => fail(
            format!("{at}.setIdentifier"),
            "a weighted record needs a setIdentifier".into(),
        ),
        (Some(id), true) if id.is_empty() || id.len() > 128 => fail(
            format!("{at}.setIdentifier"),
            "must be 1-128 characters".into(),
        ),
        _ => {}
    }
    let target = match (&record.alias, &record.value) {
        (Some(alias), None) => {
            if record.ttl.is_some() {
                fail(
                    format!("{at}.ttl"),
                    "an alias record has no TTL of its own (Route 53 uses the load balancer's)"
                        .into(),
                );
            }
            if record.kind == RecordType::Cname {
                fail(
                    format!("{at}.alias"),
                    "an alias to a load balancer is an A or AAAA record".into(),
                );
            }
            match balancer_ids.get(alias.load_balancer.as_str()) {
                Some(&id) => Some(RecordTarget::Alias(id)),
                None => {
                    fail(
                        format!("{at}.alias.loadBalancer"),
                        format!(
                            "no load balancer named {} in loadBalancers",
                            cut(&alias.load_balancer)
                        ),
                    );
                    None
                }
            }
        }
        (None, Some(value)) => {
            if record.ttl.is_none() {
                fail(
                    format!("{at}.ttl"),
                    "a record with a value needs a ttl (seconds)".into(),
                );
            }
            let valid = match record.kind {
                RecordType::A => value.parse::<core::net::Ipv4Addr>().is_ok(),
                RecordType::Aaaa => value.parse::<core::net::Ipv6Addr>().is_ok(),
                RecordType::Cname => valid_dns_name(&normalized_name(value)),
            };
            if !valid {
                fail(
                    format!("{at}.value"),
                    format!(
                        "{} is not a valid {} value",
                        cut(value),
                        record.kind.as_str()
                    ),
                );
            }
            Some(RecordTarget::Value(value.clone()))
        }
        _ => {
            fail(at.to_string(), "give exactly one of alias or value".into());
            None
        }
    };
    if let Some(ttl) = record.ttl.filter(|t| *t > 2_147_483_647) {
        fail(
            format!("{at}.ttl"),
            format!("must be from 0 to 2147483647, found {ttl}"),
        );
    }
    let set = sets
        .get_mut(&(name.clone(), record.kind))
        .expect("every record's key is in sets");
    match set {
        None => {
            let mut identifiers = BTreeSet::new();
            if let Some(id) = &record.set_identifier {
                identifiers.insert(id.clone());
            }
            *set = Some((weighted, identifiers, at.to_string()));
        }
        Some((was_weighted, identifiers, _)) => {
            if !*was_weighted || !weighted {
                fail(
                    format!("{at}.name"),
                    format!(
                        "Tried to create resource record set {name}. type {} but it already exists (only weighted records share a name and type)",
                        record.kind.as_str()
                    ),
                );
            } else if let Some(id) = &record.set_identifier {
                if !identifiers.insert(id.clone()) {
                    fail(
                        format!("{at}.setIdentifier"),
                        format!(
                            "setIdentifier '{id}' is already used for {name} {}",
                            record.kind.as_str()
                        ),
                    );
                }
            }
        }
    }
    let target = target?;
    ok.then(|| RecordConfig {
        name,
        kind: record.kind,
        set_identifier: record.set_identifier.clone(),
        weight: record.weight,
        ttl_seconds: record.ttl,
        target,
    })
}

pub(super) fn cloud_map(
    spec: &CloudMapSpec,
    push: &mut impl FnMut(String, String),
) -> Vec<CloudMapServiceConfig> {
    let mut compiled = Vec::new();
    let total: usize = spec.namespaces.iter().map(|n| n.services.len()).sum();
    if total > CLOUD_MAP_SERVICES_MAX {
        push(
            "cloudMap.namespaces".into(),
            format!("{total} services; the sandbox limit is {CLOUD_MAP_SERVICES_MAX}"),
        );
        return compiled;
    }
    let mut namespaces = BTreeSet::new();
    let mut service_names = BTreeSet::new();
    for (n, namespace) in spec.namespaces.iter().enumerate() {
        let at = format!("cloudMap.namespaces[{n}]");
        let namespace_name = normalized_name(&namespace.name);
        if !valid_dns_name(&namespace_name) {
            push(
                format!("{at}.name"),
                format!("{} is not a namespace name", cut(&namespace.name)),
            );
        } else if !namespaces.insert(namespace_name.clone()) {
            push(
                format!("{at}.name"),
                format!("a namespace named {namespace_name} already exists"),
            );
        }
        for (s, service) in namespace.services.iter().enumerate() {
            let at = format!("{at}.services[{s}]");
            let mut ok = true;
            let mut fail = |path: String, message: String| {
                ok = false;
                push(path, message);
            };
            if !valid_dns_name(&service.name) || service.name.contains('.') {
                fail(
                    format!("{at}.name"),
                    format!(
                        "{} is not a service name (one DNS label)",
                        cut(&service.name)
                    ),
                );
            } else if !service_names.insert(service.name.clone()) {
                // Services are named in registry ARNs by name, so names are unique across namespaces.
                fail(
                    format!("{at}.name"),
                    format!("a Cloud Map service named {} already exists", service.name),
                );
            }
            // The record types seen so far, a handful at most: a Vec rather than a BTreeSet,
            // which would be one more B-tree instantiation in the wasm app.
            let mut types: Vec<crate::discovery::DnsRecordType> = Vec::new();
            let mut dns_records = Vec::new();
            match namespace.kind {
                NamespaceType::Http if !service.dns_records.is_empty() => {
                    fail(
                        format!("{at}.dnsRecords"),
                        "services in an HTTP namespace have no DNS records".into(),
                    );
                }
                NamespaceType::DnsPrivate if service.dns_records.is_empty() => {
                    fail(format!("{at}.dnsRecords"), "a service in a DNS_PRIVATE namespace needs at least one DNS record (A or SRV)".into());
                }
                _ => {}
            }
            for (d, record) in service.dns_records.iter().enumerate() {
                if record.ttl > 2_147_483_647 {
                    fail(
                        format!("{at}.dnsRecords[{d}].ttl"),
                        format!("must be from 0 to 2147483647, found {}", record.ttl),
                    );
                }
                if types.contains(&record.kind) {
                    fail(
                        format!("{at}.dnsRecords[{d}].type"),
                        "each record type once".into(),
                    );
                } else {
                    types.push(record.kind);
                }
                dns_records.push((record.kind, record.ttl));
            }
            if ok {
                compiled.push(CloudMapServiceConfig {
                    name: service.name.clone(),
                    namespace: namespace_name.clone(),
                    namespace_type: namespace.kind,
                    dns_records,
                    routing_policy: service.routing_policy.unwrap_or_default(),
                    custom_health: service.health_check_custom_config.is_some(),
                });
            }
        }
    }
    compiled
}
