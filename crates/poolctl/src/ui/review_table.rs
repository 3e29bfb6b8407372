//! `review ls` as a table: id, pool, status, age, expiry and stack, one pool a line.

use review::{human_duration, Instant, ReviewPool};

/// The table, in the order given (the library lists oldest first).
pub fn render_table(pools: &[ReviewPool], now: Instant) -> String {
    let header = ["ID", "POOL", "STATUS", "AGE", "EXPIRES", "STACK"].map(str::to_owned);
    let rows: Vec<[String; 6]> = pools
        .iter()
        .map(|pool| {
            let age = pool
                .created_at
                .map(|t| human_duration(now.seconds_since(t)))
                .unwrap_or_else(|| "?".into());
            let expires = match pool.expires_at {
                None => "never (no expiry tag)".to_owned(),
                Some(t) if t <= now => {
                    format!("expired {} ago", human_duration(now.seconds_since(t)))
                }
                Some(t) => format!("in {}", human_duration(t.seconds_since(now))),
            };
            [
                pool.id.clone(),
                pool.pool.clone(),
                pool.status.as_str().to_owned(),
                age,
                expires,
                pool.stack_name.clone(),
            ]
        })
        .collect();
    let mut widths = header.clone().map(|h| h.len());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let line: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::json;

    fn at(text: &str) -> Instant {
        text.parse().unwrap()
    }

    fn pool(id: &str, stack: &str, created: &str, expires: &str) -> ReviewPool {
        ReviewPool {
            stack_name: stack.into(),
            stack_id: format!("arn:aws:cloudformation:us-east-1:000000000000:stack/{stack}/1"),
            id: id.into(),
            pool: "review".into(),
            status: "CREATE_COMPLETE".into(),
            created_at: Some(at(created)),
            expires_at: Some(at(expires)),
        }
    }

    #[test]
    fn the_table_shows_age_and_expiry_relative_to_now() {
        let now = at("2026-11-23T12:00:00Z");
        let pools = [
            pool(
                "pr-1",
                "poolctl-review-review-pr-1",
                "2026-11-23T10:00:00Z",
                "2026-11-26T10:00:00Z",
            ),
            pool(
                "feature/login",
                "poolctl-review-review-feature-login-0a1b2c3d",
                "2026-11-20T10:00:00Z",
                "2026-11-23T10:00:00Z",
            ),
        ];
        let table = render_table(&pools, now);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("ID "), "{table}");
        assert!(
            lines[1].starts_with("pr-1 ")
                && lines[1].contains("2h")
                && lines[1].contains("in 2d22h"),
            "{table}"
        );
        assert!(
            lines[2].contains("3d2h") && lines[2].contains("expired 2h ago"),
            "{table}"
        );
        // Columns line up: every row has the STATUS column at the same offset.
        let column = lines[0].find("STATUS").unwrap();
        assert!(
            lines[1..]
                .iter()
                .all(|l| l[column..].starts_with("CREATE_COMPLETE")),
            "{table}"
        );

        let row = json::review_pool(&pools[1], now);
        assert_eq!(row["expired"], true);
        assert_eq!(row["age_seconds"], 3 * 86_400 + 2 * 3600);
        assert_eq!(row["expires_at"], "2026-11-23T10:00:00Z");
        assert_eq!(row["id"], "feature/login");
    }
}
