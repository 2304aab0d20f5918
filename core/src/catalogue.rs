//! Built-in catalogue of EC2 instance types that container instances can be
//! launched as: vCPUs, nominal memory, the EC2 network-interface (ENI) limit,
//! the ECS `awsvpcTrunking` ENI limit, GPU count and CPU architecture, plus the
//! derived figures the simulator registers with the cluster (spec §2.1, §2.4).
//!
//! Where the figures come from:
//! - vCPUs, memory and GPUs: the EC2 instance-type pages
//!   (`https://docs.aws.amazon.com/ec2/latest/instancetypes/`), i.e. what
//!   `aws ec2 describe-instance-types` reports. Memory is the nominal GiB
//!   figure times 1024.
//! - `max_enis`: EC2 "Maximum network interfaces", cross-checked against the
//!   generated table `pkg/awsutils/vpc_ip_resource_limit.go` of
//!   `aws/amazon-vpc-cni-k8s` (2022-09 snapshot, itself generated from
//!   `DescribeInstanceTypes`) and, for the m7g/m7i families missing from that
//!   snapshot, the "task limit without ENI trunking" column of the ECS guide
//!   (that column is `max_enis - 1`).
//! - `trunk_enis`: ECS developer guide `container-instance-eni`, table
//!   "Supported Amazon EC2 instance types" (awsdocs/amazon-ecs-developer-guide).
//!   That table lists task limits; the ENI limit is the task limit with
//!   trunking plus two (primary ENI + trunk ENI), e.g. c5.large 10 + 2 = 12.
//!   Families the guide does not list (t2, t3, t3a, t4g, g4dn, m7i) have `None`.
//!
//! The table is sorted by name so [`lookup`] can binary-search it; a test
//! asserts the order.

use std::cmp::Reverse;

/// CPU architecture of an instance type, as reported in the
/// `ecs.cpu-architecture` container-instance attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CpuArchitecture {
    X86_64,
    Arm64,
}

impl CpuArchitecture {
    /// The attribute value ECS uses: `"x86_64"` or `"arm64"`.
    pub fn as_attribute(self) -> &'static str {
        match self {
            CpuArchitecture::X86_64 => "x86_64",
            CpuArchitecture::Arm64 => "arm64",
        }
    }
}

/// One EC2 instance type with the figures ECS placement cares about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InstanceType {
    /// API name, e.g. `"m5.large"`.
    pub name: &'static str,
    pub vcpus: u32,
    /// Nominal memory in MiB (advertised GiB × 1024), e.g. 8192 for m5.large.
    pub memory_mib: u32,
    /// EC2 maximum number of network interfaces, primary ENI included.
    pub max_enis: u32,
    /// ENI limit with the ECS `awsvpcTrunking` account setting (primary and
    /// trunk ENI included), or `None` when ECS does not support trunking on
    /// this type.
    pub trunk_enis: Option<u32>,
    pub gpus: u32,
    pub architecture: CpuArchitecture,
}

/// Numerator and denominator of the registered/nominal memory ratio: an
/// m4.large (8 GiB = 8192 MiB nominal) registers 7985 MiB on Linux (§2.1).
const REGISTERED_MEMORY_NUM: u64 = 7985;
const REGISTERED_MEMORY_DEN: u64 = 8192;

impl InstanceType {
    /// CPU units the container instance registers: 1024 per vCPU (§2.1).
    pub fn cpu_units(&self) -> u32 {
        self.vcpus * 1024
    }

    /// Memory the ECS agent registers, in MiB.
    ///
    /// The agent registers the OS-reported total, which is below the nominal
    /// figure. Real values depend on kernel and AMI; this simulator assumes
    /// the same ratio for every type as the one documented example in §2.1
    /// (m4.large: 8192 MiB nominal ⇒ 7985 MiB registered), i.e.
    /// `memory_mib * 7985 / 8192`, integer arithmetic rounded down.
    /// `ECS_RESERVED_MEMORY` (default 0) is not subtracted here.
    pub fn registered_memory_mib(&self) -> u32 {
        let registered = u64::from(self.memory_mib) * REGISTERED_MEMORY_NUM / REGISTERED_MEMORY_DEN;
        // The ratio is below one, so the result always fits back into a u32.
        u32::try_from(registered).unwrap_or(u32::MAX)
    }

    /// How many `awsvpc` tasks (one ENI each) the instance can host (§2.4).
    ///
    /// Without trunking: `max_enis - 1` (the primary ENI counts against the
    /// limit; c5.large 3 ⇒ 2). With trunking on a supported type:
    /// `trunk_enis - 2` (primary + trunk ENI; c5.large 12 ⇒ 10). With
    /// trunking requested on a type that does not support it, the instance
    /// gets no trunk ENI and the ordinary limit applies.
    pub fn awsvpc_task_enis(&self, trunking: bool) -> u32 {
        match (trunking, self.trunk_enis) {
            (true, Some(trunk)) => trunk.saturating_sub(2),
            _ => self.max_enis.saturating_sub(1),
        }
    }
}

const fn x86(
    name: &'static str,
    vcpus: u32,
    memory_mib: u32,
    max_enis: u32,
    trunk_enis: Option<u32>,
    gpus: u32,
) -> InstanceType {
    InstanceType {
        name,
        vcpus,
        memory_mib,
        max_enis,
        trunk_enis,
        gpus,
        architecture: CpuArchitecture::X86_64,
    }
}

const fn arm(
    name: &'static str,
    vcpus: u32,
    memory_mib: u32,
    max_enis: u32,
    trunk_enis: Option<u32>,
) -> InstanceType {
    InstanceType {
        name,
        vcpus,
        memory_mib,
        max_enis,
        trunk_enis,
        gpus: 0,
        architecture: CpuArchitecture::Arm64,
    }
}

/// The catalogue, sorted by name (byte order, as `str::cmp`).
///
/// Columns: name, vCPUs, memory MiB, max ENIs, trunk ENIs[, GPUs].
static INSTANCE_TYPES: &[InstanceType] = &[
    // c5 — compute optimised, Intel. c5.18xlarge: 72 vCPU, 144 GiB.
    x86("c5.18xlarge", 72, 147_456, 15, Some(122), 0),
    x86("c5.2xlarge", 8, 16_384, 4, Some(42), 0),
    x86("c5.4xlarge", 16, 32_768, 8, Some(62), 0),
    x86("c5.large", 2, 4_096, 3, Some(12), 0),
    x86("c5.xlarge", 4, 8_192, 4, Some(22), 0),
    // c6g — compute optimised, Graviton2.
    arm("c6g.2xlarge", 8, 16_384, 4, Some(42)),
    arm("c6g.4xlarge", 16, 32_768, 8, Some(62)),
    arm("c6g.large", 2, 4_096, 3, Some(12)),
    arm("c6g.xlarge", 4, 8_192, 4, Some(22)),
    // c6i — compute optimised, Intel Ice Lake.
    x86("c6i.2xlarge", 8, 16_384, 4, Some(42), 0),
    x86("c6i.4xlarge", 16, 32_768, 8, Some(62), 0),
    x86("c6i.large", 2, 4_096, 3, Some(12), 0),
    x86("c6i.xlarge", 4, 8_192, 4, Some(22), 0),
    // c7g — compute optimised, Graviton3.
    arm("c7g.2xlarge", 8, 16_384, 4, Some(42)),
    arm("c7g.4xlarge", 16, 32_768, 8, Some(62)),
    arm("c7g.large", 2, 4_096, 3, Some(12)),
    arm("c7g.xlarge", 4, 8_192, 4, Some(22)),
    // g4dn — NVIDIA T4. The g4dn family does not support ENI trunking.
    x86("g4dn.12xlarge", 48, 196_608, 8, None, 4),
    x86("g4dn.2xlarge", 8, 32_768, 3, None, 1),
    x86("g4dn.4xlarge", 16, 65_536, 3, None, 1),
    x86("g4dn.xlarge", 4, 16_384, 3, None, 1),
    // g5 — NVIDIA A10G. Trunk limits are irregular in the ECS guide
    // (xlarge 6 tasks, 2xlarge 19, 4xlarge 40, 12xlarge 120).
    x86("g5.12xlarge", 48, 196_608, 15, Some(122), 4),
    x86("g5.2xlarge", 8, 32_768, 4, Some(21), 1),
    x86("g5.4xlarge", 16, 65_536, 8, Some(42), 1),
    x86("g5.xlarge", 4, 16_384, 4, Some(8), 1),
    // m5 — general purpose, Intel.
    x86("m5.24xlarge", 96, 393_216, 15, Some(122), 0),
    x86("m5.2xlarge", 8, 32_768, 4, Some(42), 0),
    x86("m5.4xlarge", 16, 65_536, 8, Some(62), 0),
    x86("m5.large", 2, 8_192, 3, Some(12), 0),
    x86("m5.xlarge", 4, 16_384, 4, Some(22), 0),
    // m5a — general purpose, AMD EPYC.
    x86("m5a.2xlarge", 8, 32_768, 4, Some(42), 0),
    x86("m5a.4xlarge", 16, 65_536, 8, Some(62), 0),
    x86("m5a.large", 2, 8_192, 3, Some(12), 0),
    x86("m5a.xlarge", 4, 16_384, 4, Some(22), 0),
    // m6g — general purpose, Graviton2.
    arm("m6g.2xlarge", 8, 32_768, 4, Some(42)),
    arm("m6g.4xlarge", 16, 65_536, 8, Some(62)),
    arm("m6g.large", 2, 8_192, 3, Some(12)),
    arm("m6g.xlarge", 4, 16_384, 4, Some(22)),
    // m6i — general purpose, Intel Ice Lake.
    x86("m6i.2xlarge", 8, 32_768, 4, Some(42), 0),
    x86("m6i.4xlarge", 16, 65_536, 8, Some(62), 0),
    x86("m6i.large", 2, 8_192, 3, Some(12), 0),
    x86("m6i.xlarge", 4, 16_384, 4, Some(22), 0),
    // m7g — general purpose, Graviton3.
    arm("m7g.2xlarge", 8, 32_768, 4, Some(42)),
    arm("m7g.4xlarge", 16, 65_536, 8, Some(62)),
    arm("m7g.large", 2, 8_192, 3, Some(12)),
    arm("m7g.xlarge", 4, 16_384, 4, Some(22)),
    // m7i — general purpose, Intel Sapphire Rapids. Not in the ECS trunking
    // table the catalogue follows, so no trunk limit (see module docs).
    x86("m7i.2xlarge", 8, 32_768, 4, None, 0),
    x86("m7i.4xlarge", 16, 65_536, 8, None, 0),
    x86("m7i.large", 2, 8_192, 3, None, 0),
    x86("m7i.xlarge", 4, 16_384, 4, None, 0),
    // p3 — NVIDIA V100. p3.2xlarge has 61 GiB, p3.8xlarge 244 GiB.
    x86("p3.2xlarge", 8, 62_464, 4, Some(42), 1),
    x86("p3.8xlarge", 32, 249_856, 8, Some(62), 4),
    // r5 — memory optimised, Intel.
    x86("r5.2xlarge", 8, 65_536, 4, Some(42), 0),
    x86("r5.4xlarge", 16, 131_072, 8, Some(62), 0),
    x86("r5.large", 2, 16_384, 3, Some(12), 0),
    x86("r5.xlarge", 4, 32_768, 4, Some(22), 0),
    // r6g — memory optimised, Graviton2.
    arm("r6g.2xlarge", 8, 65_536, 4, Some(42)),
    arm("r6g.4xlarge", 16, 131_072, 8, Some(62)),
    arm("r6g.large", 2, 16_384, 3, Some(12)),
    arm("r6g.xlarge", 4, 32_768, 4, Some(22)),
    // r6i — memory optimised, Intel Ice Lake.
    x86("r6i.2xlarge", 8, 65_536, 4, Some(42), 0),
    x86("r6i.4xlarge", 16, 131_072, 8, Some(62), 0),
    x86("r6i.large", 2, 16_384, 3, Some(12), 0),
    x86("r6i.xlarge", 4, 32_768, 4, Some(22), 0),
    // t2 — burstable, Xen. No trunking on any burstable family.
    x86("t2.2xlarge", 8, 32_768, 3, None, 0),
    x86("t2.large", 2, 8_192, 3, None, 0),
    x86("t2.medium", 2, 4_096, 3, None, 0),
    x86("t2.micro", 1, 1_024, 2, None, 0),
    x86("t2.nano", 1, 512, 2, None, 0),
    x86("t2.small", 1, 2_048, 3, None, 0),
    x86("t2.xlarge", 4, 16_384, 3, None, 0),
    // t3 — burstable, Intel, Nitro.
    x86("t3.2xlarge", 8, 32_768, 4, None, 0),
    x86("t3.large", 2, 8_192, 3, None, 0),
    x86("t3.medium", 2, 4_096, 3, None, 0),
    x86("t3.micro", 2, 1_024, 2, None, 0),
    x86("t3.nano", 2, 512, 2, None, 0),
    x86("t3.small", 2, 2_048, 3, None, 0),
    x86("t3.xlarge", 4, 16_384, 4, None, 0),
    // t3a — burstable, AMD. Note t3a.small has 2 ENIs where t3.small has 3.
    x86("t3a.2xlarge", 8, 32_768, 4, None, 0),
    x86("t3a.large", 2, 8_192, 3, None, 0),
    x86("t3a.medium", 2, 4_096, 3, None, 0),
    x86("t3a.micro", 2, 1_024, 2, None, 0),
    x86("t3a.nano", 2, 512, 2, None, 0),
    x86("t3a.small", 2, 2_048, 2, None, 0),
    x86("t3a.xlarge", 4, 16_384, 4, None, 0),
    // t4g — burstable, Graviton2.
    arm("t4g.2xlarge", 8, 32_768, 4, None),
    arm("t4g.large", 2, 8_192, 3, None),
    arm("t4g.medium", 2, 4_096, 3, None),
    arm("t4g.micro", 2, 1_024, 2, None),
    arm("t4g.nano", 2, 512, 2, None),
    arm("t4g.small", 2, 2_048, 3, None),
    arm("t4g.xlarge", 4, 16_384, 4, None),
];

/// Finds an instance type by its exact API name (case-sensitive, like EC2).
pub fn lookup(name: &str) -> Option<&'static InstanceType> {
    INSTANCE_TYPES
        .binary_search_by(|t| t.name.cmp(name))
        .ok()
        .map(|i| &INSTANCE_TYPES[i])
}

/// Every catalogued type, sorted by name.
pub fn all() -> &'static [InstanceType] {
    INSTANCE_TYPES
}

/// Every type in the order a person reads a price list: by family (`c5`, `c5a`, `m5`, …), then
/// by size — vCPUs, then memory — so `c5.2xlarge` comes before `c5.18xlarge`.
pub fn in_natural_order() -> Vec<&'static InstanceType> {
    let mut types: Vec<&InstanceType> = INSTANCE_TYPES.iter().collect();
    crate::compact::sort_by_key(&mut types, |t| {
        let family = t.name.split_once('.').map_or(t.name, |(family, _)| family);
        (family, t.vcpus, t.memory_mib, t.name)
    });
    types
}

/// Up to three catalogue names closest to `name`, for "unknown instance type"
/// messages (e.g. `"m5.lrage"` → `"m5.large"` first).
///
/// Distance is the optimal-string-alignment edit distance (insert, delete,
/// substitute, swap two adjacent characters: cost 1 each) on the ASCII
/// lowercased input. Only names within `max(2, len / 3)` edits are offered.
/// Equal distances prefer the longer common prefix with the input (so the
/// same family comes first), then the name, so the result is deterministic.
///
/// The work is bounded whatever the input: a name whose length differs from the query's by more
/// than the limit cannot be within it and is skipped, and a query longer than
/// [`SUGGESTION_QUERY_CHARS_MAX`] gets no suggestion at all (so a 4-million-character type costs
/// one bounded scan, not a 4-million-row alignment per catalogue name).
pub fn suggestions(name: &str) -> Vec<&'static str> {
    let trimmed = name.trim();
    if trimmed.chars().nth(SUGGESTION_QUERY_CHARS_MAX).is_some() {
        return Vec::new();
    }
    let query: Vec<char> = trimmed.to_ascii_lowercase().chars().collect();
    let limit = (query.len() / 3).max(2);
    let mut scored: Vec<(usize, Reverse<usize>, &'static str)> = INSTANCE_TYPES
        .iter()
        .filter(|t| t.name.chars().count().abs_diff(query.len()) <= limit)
        .map(|t| {
            let prefix = query
                .iter()
                .zip(t.name.chars())
                .take_while(|(a, b)| *a == b)
                .count();
            (edit_distance(&query, t.name), Reverse(prefix), t.name)
        })
        .filter(|&(d, _, _)| d <= limit)
        .collect();
    crate::compact::sort(&mut scored);
    scored.into_iter().take(3).map(|(_, _, n)| n).collect()
}

/// The longest query [`suggestions`] compares with the catalogue: twice the longest name, far
/// beyond any typo of one.
pub const SUGGESTION_QUERY_CHARS_MAX: usize = 48;

/// Optimal string alignment distance between `a` and `b`.
fn edit_distance(a: &[char], b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    // Full (len(a)+1) × (len(b)+1) matrix, row-major; names are short.
    let mut d = vec![0usize; (a.len() + 1) * width];
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        d[i * width] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    #[test]
    fn natural_order_is_family_then_size() {
        let names: Vec<&str> = in_natural_order().iter().map(|t| t.name).collect();
        let position = |name: &str| names.iter().position(|n| *n == name).expect(name);
        assert!(position("c5.large") < position("c5.xlarge"));
        assert!(position("c5.2xlarge") < position("c5.18xlarge"));
        assert!(position("c5.18xlarge") < position("m5.large"));
        assert_eq!(names.len(), all().len());
        for pair in in_natural_order().windows(2) {
            let family = |t: &InstanceType| t.name.split('.').next().unwrap_or("").to_string();
            if family(pair[0]) == family(pair[1]) {
                assert!(
                    pair[0].vcpus <= pair[1].vcpus,
                    "{} before {}",
                    pair[0].name,
                    pair[1].name
                );
            } else {
                assert!(family(pair[0]) < family(pair[1]));
            }
        }
    }

    #[test]
    fn names_are_sorted_and_unique() {
        for pair in all().windows(2) {
            assert!(
                pair[0].name < pair[1].name,
                "{} must sort strictly before {}",
                pair[0].name,
                pair[1].name
            );
        }
        // Every entry is reachable through the binary search.
        for t in all() {
            assert_eq!(lookup(t.name), Some(t));
        }
    }

    #[test]
    fn lookup_known_types() {
        let m5 = lookup("m5.large").unwrap();
        assert_eq!((m5.vcpus, m5.memory_mib, m5.max_enis), (2, 8192, 3));
        assert_eq!(m5.architecture, CpuArchitecture::X86_64);

        let c5 = lookup("c5.large").unwrap();
        assert_eq!(
            (c5.vcpus, c5.memory_mib, c5.max_enis, c5.trunk_enis),
            (2, 4096, 3, Some(12))
        );

        let t3 = lookup("t3.micro").unwrap();
        assert_eq!(
            (t3.vcpus, t3.memory_mib, t3.max_enis, t3.trunk_enis),
            (2, 1024, 2, None)
        );

        let g4 = lookup("g4dn.xlarge").unwrap();
        assert_eq!(
            (g4.vcpus, g4.memory_mib, g4.max_enis, g4.gpus),
            (4, 16384, 3, 1)
        );

        let m6g = lookup("m6g.large").unwrap();
        assert_eq!(m6g.architecture, CpuArchitecture::Arm64);
        assert_eq!(m6g.architecture.as_attribute(), "arm64");
        assert_eq!(CpuArchitecture::X86_64.as_attribute(), "x86_64");

        assert_eq!(lookup("m5.lrage"), None);
        assert_eq!(lookup("M5.LARGE"), None);
        assert_eq!(lookup(""), None);
    }

    #[test]
    fn derived_resources() {
        let m5 = lookup("m5.large").unwrap();
        assert_eq!(m5.cpu_units(), 2048);
        assert_eq!(m5.registered_memory_mib(), 7985);
        // No overflow on the largest entry.
        let big = lookup("m5.24xlarge").unwrap();
        assert_eq!(big.cpu_units(), 96 * 1024);
        assert_eq!(big.registered_memory_mib(), 383_280);

        let c5 = lookup("c5.large").unwrap();
        assert_eq!(c5.awsvpc_task_enis(false), 2);
        assert_eq!(c5.awsvpc_task_enis(true), 10);
        // Trunking requested on an unsupported type falls back to the plain limit.
        let t3 = lookup("t3.micro").unwrap();
        assert_eq!(t3.awsvpc_task_enis(true), 1);
        assert_eq!(t3.awsvpc_task_enis(false), 1);
    }

    #[test]
    fn table_invariants() {
        for t in all() {
            let (family, size) = t.name.split_once('.').expect("family.size");
            assert!(!family.is_empty() && !size.is_empty(), "{}", t.name);
            assert!(
                t.vcpus > 0 && t.memory_mib > 0 && t.max_enis >= 2,
                "{}",
                t.name
            );
            // Graviton families end in 'g' (t4g, m6g, c7g, ...); nothing else does.
            assert_eq!(
                t.architecture == CpuArchitecture::Arm64,
                family.ends_with('g'),
                "{}",
                t.name
            );
            // Only the accelerated families carry GPUs.
            assert_eq!(
                t.gpus > 0,
                family.starts_with('g') || family.starts_with('p'),
                "{}",
                t.name
            );
            if let Some(trunk) = t.trunk_enis {
                assert!(trunk > t.max_enis, "{}", t.name);
                assert!(t.awsvpc_task_enis(true) > t.awsvpc_task_enis(false));
            }
            assert!(t.registered_memory_mib() < t.memory_mib, "{}", t.name);
        }
    }

    #[test]
    fn summary_snapshot() {
        let rows: Vec<String> = [
            "t3.micro",
            "m5.large",
            "c5.large",
            "g4dn.xlarge",
            "m6g.large",
        ]
        .iter()
        .map(|n| {
            let t = lookup(n).unwrap();
            format!(
                "{} cpu={} mem={} registered={} enis={} tasks={}/{} gpus={} arch={}",
                t.name,
                t.cpu_units(),
                t.memory_mib,
                t.registered_memory_mib(),
                t.max_enis,
                t.awsvpc_task_enis(false),
                t.awsvpc_task_enis(true),
                t.gpus,
                t.architecture.as_attribute()
            )
        })
        .collect();
        expect![[r#"
            t3.micro cpu=2048 mem=1024 registered=998 enis=2 tasks=1/1 gpus=0 arch=x86_64
            m5.large cpu=2048 mem=8192 registered=7985 enis=3 tasks=2/10 gpus=0 arch=x86_64
            c5.large cpu=2048 mem=4096 registered=3992 enis=3 tasks=2/10 gpus=0 arch=x86_64
            g4dn.xlarge cpu=4096 mem=16384 registered=15970 enis=3 tasks=2/2 gpus=1 arch=x86_64
            m6g.large cpu=2048 mem=8192 registered=7985 enis=3 tasks=2/10 gpus=0 arch=arm64"#]]
        .assert_eq(&rows.join("\n"));
        assert_eq!(all().len(), 92);
    }

    #[test]
    fn suggestions_compare_a_bounded_query() {
        let longest = all().iter().map(|t| t.name.len()).max().unwrap_or(0);
        assert!(longest * 2 <= SUGGESTION_QUERY_CHARS_MAX, "{longest}");
        assert!(suggestions(&"m5.large".repeat(500_000)).is_empty());
    }

    #[test]
    fn suggestions_for_typos() {
        let show = |q: &str| format!("{q:?} -> {:?}", suggestions(q));
        let out = [
            "m5.lrage",
            "c6.large",
            "M5.Large",
            "c5.xlarg",
            "t3.mirco",
            "g4dn.xl",
            "m5.huge",
            "zzz",
            "",
            "m5.largeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee",
        ]
        .map(show)
        .join("\n");
        expect![[r#"
            "m5.lrage" -> ["m5.large", "m5.xlarge", "m5a.large"]
            "c6.large" -> ["c6g.large", "c6i.large", "c5.large"]
            "M5.Large" -> ["m5.large", "m5.xlarge", "m5a.large"]
            "c5.xlarg" -> ["c5.xlarge", "c5.2xlarge", "c5.4xlarge"]
            "t3.mirco" -> ["t3.micro", "t3a.micro", "t2.micro"]
            "g4dn.xl" -> []
            "m5.huge" -> []
            "zzz" -> []
            "" -> []
            "m5.largeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee" -> []"#]]
        .assert_eq(&out);
        assert_eq!(suggestions("m5.lrage").first(), Some(&"m5.large"));
    }
}

/// Serde for `&'static InstanceType` (world snapshots): the API name, looked up again on load.
pub(crate) mod by_name {
    use super::InstanceType;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(
        instance_type: &&'static InstanceType,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(instance_type.name)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<&'static InstanceType, D::Error> {
        let name = String::deserialize(deserializer)?;
        super::lookup(&name)
            .ok_or_else(|| D::Error::custom(format!("unknown instance type {name:?}")))
    }
}
