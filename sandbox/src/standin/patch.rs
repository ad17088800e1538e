//! Patches applied as the API server applies them for their content type.

use serde_json::Value;

/// Applies a patch as the API server would for the content type.
pub fn apply_patch(target: &mut Value, patch: &Value, content_type: &str) -> Result<(), String> {
    if content_type.contains("json-patch") {
        let ops: json_patch::Patch =
            serde_json::from_value(patch.clone()).map_err(|e| e.to_string())?;
        json_patch::patch(target, &ops).map_err(|e| e.to_string())
    } else if content_type.contains("strategic-merge-patch") {
        strategic_merge(target, patch);
        Ok(())
    } else {
        json_patch::merge(target, patch);
        Ok(())
    }
}

/// Strategic merge for the lists incidentctl patches: lists of objects with a `name` (containers,
/// env, ports, volumes) merge by name instead of being replaced, as the API server does.
fn strategic_merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => {
            for (key, pv) in p {
                if pv.is_null() {
                    t.remove(key);
                } else if let Some(tv) = t.get_mut(key) {
                    strategic_merge(tv, pv);
                } else {
                    t.insert(key.clone(), pv.clone());
                }
            }
        }
        (Value::Array(t), Value::Array(p))
            if p.iter().all(|v| v.get("name").is_some())
                && t.iter().all(|v| v.get("name").is_some()) =>
        {
            for item in p {
                let name = item.get("name");
                match t.iter_mut().find(|existing| existing.get("name") == name) {
                    Some(existing) => strategic_merge(existing, item),
                    None => t.push(item.clone()),
                }
            }
        }
        (t, p) => *t = p.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strategic_merge_keeps_other_containers_fields() {
        let mut dep = json!({"containers": [{"name": "backend", "image": "app:1",
                                              "env": [{"name": "A", "value": "1"}]}]});
        let patch = json!({"containers": [{"name": "backend",
                                            "env": [{"name": "DB_POOL_SIZE", "value": "20"}]}]});
        strategic_merge(&mut dep, &patch);
        assert_eq!(dep["containers"][0]["image"], "app:1");
        assert_eq!(dep["containers"][0]["env"].as_array().unwrap().len(), 2);
    }
}
