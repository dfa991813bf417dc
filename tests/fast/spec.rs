//! spot's answers against Discord's own OpenAPI description (`tests/data/discord-api-spec/`): each response must
//! carry every field the spec marks required, each with a type the spec allows, all the way down. A small
//! checker (required keys, JSON types, `$ref`, `oneOf`/`anyOf`/`allOf`, arrays), not a full JSON-Schema engine:
//! formats and enumerations are not checked.

use serde_json::Value;

/// The spec, parsed once per test.
pub struct Spec(Value);

impl Spec {
    pub fn load() -> Self {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/discord-api-spec/openapi.json");
        Self(serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap())
    }

    /// The schema of the 200 answer to `GET path` (the spec's path template).
    pub fn response(&self, method: &str, path: &str) -> &Value {
        let operation = &self.0["paths"][path][method];
        let responses = &operation["responses"];
        let answer = ["200", "201"]
            .iter()
            .map(|code| &responses[*code])
            .find(|r| !r.is_null())
            .unwrap_or_else(|| panic!("{method} {path} has no 200/201 in the spec"));
        &answer["content"]["application/json"]["schema"]
    }

    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        match schema["$ref"].as_str() {
            Some(reference) => {
                let name = reference.rsplit('/').next().unwrap();
                self.resolve(&self.0["components"]["schemas"][name])
            }
            None => schema,
        }
    }

    /// Every way `value` breaks `schema`, as `path: problem` lines.
    pub fn problems(&self, schema: &Value, value: &Value, path: &str) -> Vec<String> {
        let schema = self.resolve(schema);
        for key in ["oneOf", "anyOf"] {
            if let Some(options) = schema[key].as_array() {
                let mut best: Option<Vec<String>> = None;
                for option in options {
                    let found = self.problems(option, value, path);
                    if found.is_empty() {
                        return found;
                    }
                    if best.as_ref().is_none_or(|b| found.len() < b.len()) {
                        best = Some(found);
                    }
                }
                return best.unwrap_or_default();
            }
        }
        if let Some(all) = schema["allOf"].as_array() {
            return all.iter().flat_map(|part| self.problems(part, value, path)).collect();
        }
        let mut found = Vec::new();
        if let Some(types) = types(schema) {
            let actual = kind(value);
            let fits = types
                .iter()
                .any(|t| *t == actual || (*t == "number" && actual == "integer"));
            if !fits {
                return vec![format!("{path}: is {actual}, the spec allows {types:?}")];
            }
        }
        match value {
            Value::Object(object) => {
                for key in schema["required"].as_array().into_iter().flatten() {
                    let key = key.as_str().unwrap();
                    if !object.contains_key(key) {
                        found.push(format!("{path}.{key}: missing"));
                    }
                }
                if let Some(properties) = schema["properties"].as_object() {
                    for (key, item) in object {
                        if let Some(property) = properties.get(key) {
                            found.extend(self.problems(property, item, &format!("{path}.{key}")));
                        }
                    }
                }
            }
            Value::Array(items) => {
                if let Some(item_schema) = schema.get("items") {
                    for (index, item) in items.iter().enumerate() {
                        found.extend(self.problems(item_schema, item, &format!("{path}[{index}]")));
                    }
                }
            }
            _ => {}
        }
        found
    }
}

fn types(schema: &Value) -> Option<Vec<&str>> {
    match &schema["type"] {
        Value::String(one) => Some(vec![one.as_str()]),
        Value::Array(many) => Some(many.iter().filter_map(Value::as_str).collect()),
        _ => None,
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}
