//! `cargo bench -p poolctl-template --bench render`: rendering infra/pools/production.yaml (the spec
//! loaded once, outside the timing) to a template and to both its YAML and JSON text.

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};

fn render_production(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../infra/pools/production.yaml");
    let spec = match spec::load(&path) {
        Ok(loaded) => loaded.spec,
        Err(error) => panic!("{}: {error}", path.display()),
    };
    let options = template::RenderOptions::default();
    c.bench_function("render_production", |b| {
        b.iter(|| {
            let template = template::render(black_box(&spec), &options);
            black_box((template.to_yaml(), template.to_json()))
        });
    });
    // The parts, to see where the time goes.
    c.bench_function("render_production_document_only", |b| {
        b.iter(|| template::render(black_box(&spec), &options));
    });
    let template = template::render(&spec, &options);
    c.bench_function("render_production_to_yaml", |b| {
        b.iter(|| black_box(&template).to_yaml());
    });
    c.bench_function("render_production_to_json", |b| {
        b.iter(|| black_box(&template).to_json());
    });
    c.bench_function("load_and_render_production", |b| {
        b.iter(|| {
            let spec = spec::load(black_box(&path))
                .map(|l| l.spec)
                .unwrap_or_else(|e| panic!("{e}"));
            let template = template::render(&spec, &options);
            black_box((template.to_yaml(), template.to_json()))
        });
    });
}

criterion_group!(benches, render_production);
criterion_main!(benches);
