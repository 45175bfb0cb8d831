#!/usr/bin/env python3
"""The script an analyst would write instead of Jiance, as `make bench`'s reference for the import.

Reads a national-template fitness CSV (GB18030), scores every item with vectorised look-ups in
the same tables Jiance uses (Sources/Standards/Resources/fitness, the 2014 standard), adds the
weighted total, the bonus and the rating, and stores the rows in SQLite with pandas' to_sql.
It checks nothing a teacher could get wrong (no findings, no history, no undo): it is the
floor of what the job costs in Python, not a second implementation.

    python3 benchmarks/pandas_import.py FILE.csv [--db OUT.sqlite]

Prints one JSON line: rows, and seconds for read, score, store and the whole.
"""
import argparse
import json
import os
import re
import sqlite3
import tempfile
import time

import numpy as np
import pandas as pd

TABLES = os.path.join(os.path.dirname(__file__), "..", "Sources", "Standards", "Resources", "fitness")

COLUMNS = {
    "肺活量": "vital_capacity", "50米跑": "run_50m", "立定跳远": "standing_long_jump",
    "坐位体前屈": "sit_and_reach", "50米x8往返跑": "shuttle_50x8", "一分钟跳绳": "rope_skip_1min",
    "一分钟仰卧起坐": "sit_up_1min", "一分钟仰卧起坐（女）": "sit_up_1min_f", "800米跑（女）": "run_800m",
    "1000米跑（男）": "run_1000m", "引体向上（男）": "pull_up",
}
TIMED = {"shuttle_50x8", "run_800m", "run_1000m"}


def seconds(series):
    """4'38", 4’38”, 4.38 (minutes.seconds, as the template writes) or 278 as seconds."""
    text = series.astype(object).str.strip()
    parts = text.str.extract(r"^(\d{1,2})\s*[’'′:.]\s*(\d{2}(?:\.\d+)?)\D*$")
    minutes = parts[0].astype(float) * 60 + parts[1].astype(float)
    return minutes.fillna(pd.to_numeric(text, errors="coerce").astype(float))


def grade_of(code):
    """年级编号 11–16, 21–23, 31–33 as the standard's grades 1–12."""
    return np.select([code < 20, code < 30, code < 40], [code - 10, code - 14, code - 21], 0)


def band_of(grade):
    return np.select(
        [grade <= 2, grade <= 4, grade <= 6], ["grade_1_2", "grade_3_4", "grade_5_6"], "junior_senior_university"
    )


def score_items(frame, items):
    """Each item's points: the best row of its table the value reaches, for every grade and sex at once."""
    for item, table in items.groupby("item"):
        column = frame[item] if item in frame else None
        if column is None:
            continue
        points = np.zeros(len(frame))
        for (grade, sex), rows in table.groupby(["grade", "sex"]):
            mask = ((frame["grade"] == grade) & (frame["sex"] == sex) & column.notna()).to_numpy()
            if not mask.any():
                continue
            rows = rows.sort_values("threshold")
            thresholds = rows["threshold"].to_numpy()
            scores = rows["score"].to_numpy()
            values = column.to_numpy()[mask]
            if rows["direction"].iloc[0] == "higher_better":
                index = np.searchsorted(thresholds, values, side="right") - 1
                points[mask] = np.where(index >= 0, scores[np.clip(index, 0, None)], 0)
            else:
                index = np.searchsorted(thresholds, values, side="left")
                points[mask] = np.where(index < len(scores), scores[np.clip(index, None, len(scores) - 1)], 0)
        frame[item + "_score"] = np.where(column.notna(), points, np.nan)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("csv")
    parser.add_argument("--db")
    arguments = parser.parse_args()
    # Grades 1–12 (the university rows, uni12 and uni34, are not in a county's files).
    items = pd.read_csv(os.path.join(TABLES, "items.csv"))
    items = items[items["grade"].str.isdigit()].astype({"grade": int})
    weights = pd.read_csv(os.path.join(TABLES, "weights.csv"))
    bmi = pd.read_csv(os.path.join(TABLES, "bmi.csv"))
    bmi = bmi[bmi["grade"].str.isdigit()].astype({"grade": int})
    bonus = pd.read_csv(os.path.join(TABLES, "bonus.csv"))

    start = time.perf_counter()
    frame = pd.read_csv(arguments.csv, encoding="gb18030", dtype=str, keep_default_na=False, na_values=[""])
    read_done = time.perf_counter()

    frame["grade"] = grade_of(pd.to_numeric(frame["年级编号"], errors="coerce").fillna(0).astype(int))
    frame["sex"] = np.where(frame["性别"] == "1", "male", "female")
    frame["height_cm"] = pd.to_numeric(frame["身高"], errors="coerce")
    frame["weight_kg"] = pd.to_numeric(frame["体重"], errors="coerce")
    for header, item in COLUMNS.items():
        if header in frame:
            frame[item] = seconds(frame[header]) if item in TIMED else pd.to_numeric(frame[header], errors="coerce")
    if "sit_up_1min_f" in frame:
        frame["sit_up_1min"] = frame.get("sit_up_1min", pd.Series(np.nan, index=frame.index)).fillna(
            frame["sit_up_1min_f"]
        )
    score_items(frame, items)

    # BMI to one decimal, scored by its category range.
    frame["bmi"] = (frame["weight_kg"] / (frame["height_cm"] / 100) ** 2).round(1)
    frame["bmi_score"] = np.nan
    for (grade, sex), rows in bmi.groupby(["grade", "sex"]):
        mask = (frame["grade"] == grade) & (frame["sex"] == sex)
        for _, row in rows.iterrows():
            low = row["min"] if not np.isnan(row["min"]) else -np.inf
            high = row["max"] if not np.isnan(row["max"]) else np.inf
            frame.loc[mask & (frame["bmi"] >= low) & (frame["bmi"] <= high), "bmi_score"] = row["score"]

    # Weighted total of the band's items, then the bonus over the 100-point threshold.
    frame["band"] = band_of(frame["grade"].to_numpy())
    frame["standard"] = 0.0
    for _, row in weights.iterrows():
        column = row["item"] + "_score"
        if column not in frame:
            continue
        mask = (frame["band"] == row["band"]) & ((row["sex"] == "both") | (frame["sex"] == row["sex"]))
        frame.loc[mask, "standard"] += frame.loc[mask, column].fillna(0) * row["weight_percent"] / 100
    frame["bonus"] = 0
    for (band, item, sex), rows in bonus.groupby(["band", "item", "sex"]):
        if item not in frame:
            continue
        top = items[(items["item"] == item) & (items["score"] == 100)][["grade", "sex", "threshold"]]
        merged = frame[["grade", "sex"]].merge(top, on=["grade", "sex"], how="left")["threshold"].to_numpy()
        extra = frame[item].to_numpy() - merged
        grades = frame["grade"].to_numpy()
        in_band = (grades <= 6) if band.startswith("primary") else (grades >= 7) & (grades <= 12)
        if band == "university":
            continue
        mask = in_band & ((sex == "both") | (frame["sex"] == sex).to_numpy()) & ~np.isnan(extra)
        steps = rows.sort_values("bonus_points")
        points = np.zeros(len(frame), dtype=int)
        for _, step in steps.iterrows():
            reached = extra >= step["increment"] if step["increment"] > 0 else extra <= step["increment"]
            points = np.where(mask & reached, step["bonus_points"], points)
        frame["bonus"] = np.minimum(frame["bonus"] + points, 20)
    frame["total"] = (frame["standard"] + frame["bonus"]).round(1)
    frame["rating"] = np.select(
        [frame["total"] >= 90, frame["total"] >= 80, frame["total"] >= 60], ["优秀", "良好", "及格"], "不及格"
    )
    score_done = time.perf_counter()

    stored = [c for c in frame.columns if re.match(r"^[a-z_0-9]+$", c)] + ["学籍号", "姓名"]
    path = arguments.db or tempfile.mktemp(suffix=".sqlite")
    with sqlite3.connect(path) as connection:
        frame[stored].to_sql("fitness_result", connection, if_exists="replace", index=False)
    end = time.perf_counter()
    if not arguments.db:
        os.remove(path)
    print(json.dumps({
        "rows": len(frame), "read": read_done - start, "score": score_done - read_done,
        "store": end - score_done, "seconds": end - start,
    }))


if __name__ == "__main__":
    main()
