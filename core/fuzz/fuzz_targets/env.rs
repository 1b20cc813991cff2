//! The pasted-environment reader (`endpoint::detect::parse_env`) and the detection run over
//! what it read, for every SDK and both credentials. Any panic is a bug; so is a note whose
//! line is not a line of the input, a parse that differs on a second run, or detection that
//! chooses a source no rule names.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mi_core::endpoint::detect::{self, DetectOptions, DetectSdk};

fuzz_target!(|data: &[u8]| {
    if data.len() > 1 << 20 {
        return;
    }
    let text = String::from_utf8_lossy(data);
    let parsed = detect::parse_env(&text);
    assert_eq!(parsed, detect::parse_env(&text), "deterministic");
    let lines = text.split('\n').count();
    assert!(parsed.ignored_lines <= lines);
    assert!(parsed.notes.len() <= detect::MAX_NOTES + 1);
    for n in &parsed.notes {
        assert!(n.line <= lines, "note on line {} of {lines}: {n:?}", n.line);
        assert!(!n.message.trim().is_empty());
    }
    for (name, _) in &parsed.vars {
        assert!(!name.is_empty() && !name.contains('='), "{name:?}");
    }
    // Detection reads only the variables it knows; give it those, as the page does.
    let vars = detect::relevant(&parsed.vars);
    for dac in [false, true] {
        let options = DetectOptions {
            via_default_azure_credential: dac,
            client_id: parsed.get("AZURE_CLIENT_ID").map(str::to_string),
            ..DetectOptions::default()
        };
        for sdk in DetectSdk::ALL {
            let d = detect::detect(&vars, sdk, &options);
            assert_eq!(d.rules.iter().filter(|r| r.fired).count(), 1, "{sdk:?}");
            if let Some(r) = &d.request {
                let _ = r.to_text();
                let _ = r.gist();
            }
        }
    }
    let _ = detect::disagreements(&vars);
    let _ = detect::to_lines(&vars);
    // The engine's answer for the panel, in each situation of the chosen source: the source
    // it names is the detection's, and the simulated answer never panics.
    let d = detect::detect(&parsed.vars, DetectSdk::Python, &DetectOptions::default());
    for situation in mi_core::diagnose::situations(d.chosen)
        .iter()
        .map(|(c, _)| *c)
        .chain([""])
    {
        let q = mi_core::diagnose::Query::Sources(mi_core::diagnose::SourceQuery {
            env_text: text.to_string(),
            sdk: DetectSdk::Python,
            options: DetectOptions::default(),
            world_headers: Vec::new(),
            now: 1_764_547_200,
            situation: situation.to_string(),
        });
        let reply = mi_core::diagnose::Reply::from(mi_core::diagnose::answer(&q));
        assert_eq!(reply.text("chosen"), d.chosen.code());
    }
});
