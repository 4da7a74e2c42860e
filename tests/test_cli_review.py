"""The command line as a reviewer broke it: data kept verbatim, files never lost,
mistakes named in one line before training."""

import gzip
import re
import shutil
import warnings

import numpy as np
import pandas as pd
import pytest
import yaml

from skdistill import load
from skdistill._config import ConfigError, load_config, read_yaml
from skdistill._run import read_samples
from skdistill.cli import main
from skdistill.preprocessing import positions_frame

from .test_config import CLASSIFIER, fit, predict, write_config, write_csv_run, write_fasta

PEPTIDES = ["ACDKEFG", "CDEKFGH", "DEFKGHI", "EFGKHIL", "FGHKILM", "GHIKLMN"]


def _stopped(run, *args):
    with pytest.raises(SystemExit) as stopped:
        run(*args)
    return str(stopped.value.code)


@pytest.fixture(scope="module")
def peptide_run(tmp_path_factory):
    """Peptides in a CSV with IDs, fitted once with a per-position OneHotEncoder."""
    folder = tmp_path_factory.mktemp("peptides")
    rng = np.random.default_rng(0)
    sequences = ["".join(rng.choice(list("ACDEFGHIKLMN"), 7)) for _ in range(200)]
    labels = [int(s.count("A") > 0) for s in sequences]
    pd.DataFrame({"id": [f"P{i}" for i in range(200)], "sequence": sequences,
                  "label": labels}).to_csv(folder / "pep.csv", index=False)
    config = write_config(folder, data={"path": "pep.csv", "sequence_column": "sequence",
                                        "id_column": "id"}, encoder="OneHotEncoder")
    assert fit(config) == 0
    return folder


def test_predict_warns_of_letters_a_one_hot_model_never_saw(peptide_run, tmp_path, capsys):
    # lowercase peptides got one probability each, in silence
    pd.DataFrame({"id": ["a", "b"], "sequence": [p.lower() for p in PEPTIDES[:2]]}).to_csv(
        tmp_path / "lower.csv", index=False)
    capsys.readouterr()
    assert predict(peptide_run / "out", tmp_path / "lower.csv", tmp_path / "p.csv") == 0
    assert "skdistill predict: UserWarning: Found unknown categories" in capsys.readouterr().err


def test_predict_names_a_sequence_of_another_length_for_a_one_hot_model(peptide_run, tmp_path):
    # "positions_frame needs sequences of one length; got lengths [2, 7]": a function
    # the user never called, and no sample
    pd.DataFrame({"id": ["a", "b", "c"], "sequence": [PEPTIDES[0], "NA", PEPTIDES[1]]}).to_csv(
        tmp_path / "short.csv", index=False)
    with pytest.raises(SystemExit, match=re.escape(
            "short.csv holds sequences of lengths 7 (2 sample(s)), 2 (1 sample(s)); encoder "
            "OneHotEncoder reads one column per position, so every sequence needs one "
            "length: sample 1 (data row 2, ID 'b') has 2 letter(s). The model was trained "
            "on windows of length 7: give windows of that length")):  # was: fit otherwise
        predict(peptide_run / "out", tmp_path / "short.csv", tmp_path / "p.csv")
    # an empty ID: the data row alone (it was shown as the ID nan)
    pd.DataFrame({"id": ["a", None, "c"], "sequence": [PEPTIDES[0], "NA", PEPTIDES[1]]}).to_csv(
        tmp_path / "short.csv", index=False)
    with pytest.raises(SystemExit, match=re.escape("sample 1 (data row 2) has 2 letter")):
        predict(peptide_run / "out", tmp_path / "short.csv", tmp_path / "p.csv")


@pytest.mark.parametrize("columns", [["id", "sequence"], ["sequence", "id"]])
def test_predict_keeps_ids_and_sequences_pandas_reads_as_missing(
    peptide_run, tmp_path, columns
):
    # "NA", "null", "None" came back as empty IDs; the dipeptide "NA" was "missing";
    # a first version of the fix swapped the two columns when the sequences came first
    ids = ["NA", "null", "None", "n/a", "P5"]
    frame = pd.DataFrame({"id": ids, "sequence": PEPTIDES[:4] + ["NANANAN"]})
    frame[columns].to_csv(tmp_path / "na.csv", index=False)
    assert predict(peptide_run / "out", tmp_path / "na.csv", tmp_path / "p.csv") == 0
    written = pd.read_csv(tmp_path / "p.csv", keep_default_na=False)
    assert written["id"].tolist() == ids
    model = load(peptide_run / "out" / "model.skd")
    np.testing.assert_allclose(written[["0", "1"]].to_numpy(),
                               model.predict_proba(positions_frame(frame["sequence"])))


def test_predict_never_writes_over_its_input_or_the_model(peptide_run, tmp_path):
    # the input, or the run's config.yaml, was replaced by probabilities
    model = peptide_run / "out"
    shutil.copy(peptide_run / "pep.csv", tmp_path / "new.csv")
    shutil.copy(model / "model.skd", model / "best.skd")
    for given, output, what in (
        (model, tmp_path / "new.csv", "--input"),
        (model, model / "config.yaml", "--model's config.yaml"),
        (model / "best.skd", model / "best.skd", "--model"),  # a model file of its own name
    ):
        before = output.read_bytes()
        message = _stopped(predict, given, tmp_path / "new.csv", output)
        assert f"--output: {output} is {what}; give another file" in message
        assert output.read_bytes() == before


def test_predict_names_a_model_folder_without_its_config(peptide_run, tmp_path):
    # "cannot read config.yaml", a file the user never named
    (tmp_path / "bare").mkdir()
    shutil.copy(peptide_run / "out" / "model.skd", tmp_path / "bare")
    message = _stopped(predict, tmp_path / "bare", peptide_run / "pep.csv", tmp_path / "p.csv")
    assert f"--model: {tmp_path / 'bare'} holds no config.yaml" in message


def test_a_copied_run_folder_does_not_refit_into_the_original(peptide_run, tmp_path):
    # its saved config names the original folder, whose model was replaced
    shutil.copytree(peptide_run / "out", tmp_path / "copy")
    original = (peptide_run / "out" / "model.skd").read_bytes()
    message = _stopped(fit, tmp_path / "copy" / "config.yaml")
    assert "not in the folder it lies in (a copy?): give --output" in message
    assert (peptide_run / "out" / "model.skd").read_bytes() == original
    # as advised: --output the copy's folder refits the copy in place
    copied = tmp_path / "copy"
    assert main(["fit", "--config", str(copied / "config.yaml"), "--output", str(copied),
                 "--quiet"]) == 0
    assert (peptide_run / "out" / "model.skd").read_bytes() == original
    assert yaml.safe_load((copied / "config.yaml").read_text())["output"] == str(copied)


def test_a_run_keeps_the_users_files_of_a_runs_names(tmp_path):
    # a user's own scores.csv and report.txt were replaced
    config, _ = write_csv_run(tmp_path)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "report.txt").write_text("my notes")
    message = _stopped(fit, config)
    assert "holds ['report.txt'], files of the names a run writes, but not the" in message
    assert (tmp_path / "out" / "report.txt").read_text() == "my notes"


def _write_config(config, **changes):
    raw = yaml.safe_load(config.read_text())
    raw.update(changes)
    config.write_text(yaml.safe_dump(raw))


@pytest.mark.parametrize("changes, message", [
    ({"teacher": {"name": "MLP", "net": {"optimizer": "SGD", "lr": 1e30}}},
     "cannot train on this config and its data: The teacher's logits became inf or NaN"),
    ({"data": {"path": "data.csv", "label_column": "target"}},
     "hold text, and feature columns must hold numbers ('row0' in data row 1 of 'name', "
     "300 such cell(s) in that column): name a column of sequences data.sequence_column, "
     "or one of the samples' IDs data.id_column, or set encoder: OneHotEncoder"),
], ids=["diverging", "text feature"])
def test_config_mistakes_found_late_are_one_line(tmp_path, changes, message):
    # a diverging net ended in a traceback; the others in the Python API's advice
    config, _ = write_csv_run(tmp_path)
    _write_config(config, **changes)
    assert message in _stopped(fit, config)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("cell, message", [
    ("", "column(s) ['f3'] of {path} have cells without a finite number, and feature columns "
         "need one in every row (the first: a missing value (an empty cell, or NA, NaN, "
         "null...) in data row 251 of 'f3', 1 such cell(s) in that column)"),
    ("-inf", "column(s) ['f3'] of {path} have cells without a finite number, and feature "
             "columns need one in every row (the first: -inf in data row 251 of 'f3', 1 such "
             "cell(s) in that column)"),
    ("1.5e", "column(s) ['f3'] of {path} hold text, and feature columns must hold numbers "
             "('1.5e' in data row 251 of 'f3', 1 such cell(s) in that column)"),
], ids=["empty", "infinite", "text"])
def test_a_bad_feature_cell_is_named_by_its_row(tmp_path, cell, message):
    # one cell among 500,000 rows: scikit-learn's "Input X contains NaN" (after reading
    # and encoding it all), or "column(s) ['f3'] hold text", named neither row nor value
    config, frame = write_csv_run(tmp_path)
    frame["f3"] = frame["f3"].astype(object)
    frame.loc[250, "f3"] = cell
    frame.to_csv(tmp_path / "data.csv", index=False)
    assert message.format(path=tmp_path / "data.csv") in _stopped(fit, config)
    # a model's input gets no advice on how to train one
    with pytest.raises(ConfigError) as raised:
        read_samples(load_config(config)[0], tmp_path / "data.csv", key="--input",
                     labelled=False)
    assert str(raised.value).endswith("1 such cell(s) in that column)")


def test_a_class_named_id_is_refused_before_training(tmp_path):
    # predict failed with "cannot insert id, already exists"
    config, frame = write_csv_run(tmp_path)
    frame.assign(target=frame["target"].replace({"yes": "id"})).to_csv(
        tmp_path / "data.csv", index=False)
    assert "a class is named 'id'" in _stopped(fit, config)


def test_a_test_part_without_some_class_is_refused(tmp_path):
    # every score came out nan with sixteen library warnings, exit status 0
    config, frame = write_csv_run(tmp_path)
    frame[frame["target"] == "no"].head(50).to_csv(tmp_path / "test.csv", index=False)
    _write_config(config, test={"path": "test.csv"})
    message = _stopped(fit, config)
    assert ("test.path: the test part holds no sample of the class(es) ['yes'], so it "
            "cannot be scored") in message


def test_fasta_labels_beyond_int64_and_an_uppercase_gz_are_read(tmp_path):
    # OverflowError; "*.GZ" was read as plain text
    big = "99999999999999999999"
    write_fasta(tmp_path / "w.fasta", [f"s{i}" for i in range(40)], PEPTIDES * 6 + PEPTIDES[:4],
                [big if i % 2 else "0" for i in range(40)])
    with open(tmp_path / "w.fasta", "rb") as plain, gzip.open(tmp_path / "w.fa.GZ", "wb") as gz:
        gz.write(plain.read())
    config, _ = load_config(write_config(tmp_path, data={"path": "w.fa.GZ"}))
    assert sorted(set(read_samples(config).y.tolist())) == ["0", big]
    # a CSV file's were floats, 1.0000000000000002e+20 for this label
    # and "00" or " 0" stay the integer 0
    pd.DataFrame({"sequence": PEPTIDES * 2, "label": [big, "0", "+" + big, "00"] * 3}).to_csv(
        tmp_path / "w.csv", index=False)
    config, _ = load_config(write_config(
        tmp_path, data={"path": "w.csv", "sequence_column": "sequence"}))
    assert sorted(set(read_samples(config).y.tolist())) == ["0", big]


@pytest.mark.parametrize("file_format", ["csv", "fasta"])
def test_labels_spelled_two_ways_are_warned_of(tmp_path, file_format):
    # "pos", "pos " and "Pos" trained a four-class model in silence (each held by
    # more than 1 % of the samples, so no rare-class warning)
    labels = ["pos", "neg", "pos ", "Pos", "neg", "neg"] * 5
    ids = [f"s{i}" for i in range(30)]
    if file_format == "csv":
        pd.DataFrame({"id": ids, "sequence": PEPTIDES * 5, "label": labels}).to_csv(
            tmp_path / "w.csv", index=False)
        data = {"path": "w.csv", "sequence_column": "sequence"}
    else:
        write_fasta(tmp_path / "w.fasta", ids, PEPTIDES * 5, [x.strip() for x in labels])
        data = {"path": "w.fasta"}
    config, _ = load_config(write_config(tmp_path, data=data))
    spelled = "'Pos', 'pos', 'pos '" if file_format == "csv" else "'Pos', 'pos'"
    with pytest.warns(UserWarning, match=re.escape(
            f"holds labels that differ in case, surrounding spaces or number format alone "
            f"({spelled}): each is a class of its own; if they name one class, write it one "
            "way.")):
        assert len(set(read_samples(config).y)) == (4 if file_format == "csv" else 3)
    # "Co" and "CO" may well be two classes: warned of, not refused; "pos"/"neg" not at all
    pd.DataFrame({"sequence": PEPTIDES * 2, "label": ["pos", "neg"] * 6}).to_csv(
        tmp_path / "clean.csv", index=False)
    config, _ = load_config(write_config(
        tmp_path, data={"path": "clean.csv", "sequence_column": "sequence"}))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read_samples(config)


def test_a_yaml_merge_may_override_a_key(tmp_path):
    # "not valid YAML: the key 'params' is given twice"
    config, _ = write_csv_run(tmp_path)
    text = config.read_text().replace("student:", "student_: ")
    (tmp_path / "merge.yaml").write_text(
        text + "x-net: &net {name: MLP, params: {hidden_units: [16]}}\n"
        "student:\n  <<: *net\n  params: {hidden_units: [4]}\n"
    )
    raw = read_yaml(tmp_path / "merge.yaml")
    assert raw["student"] == {"name": "MLP", "params": {"hidden_units": [4]}}
    (tmp_path / "twice.yaml").write_text("a: 1\nb:\n  c: 1\n  c: 2\n")
    with pytest.raises(ConfigError, match="the key 'c' is given twice"):
        read_yaml(tmp_path / "twice.yaml")


def test_a_test_part_warning_is_given_once(tmp_path, capsys):
    # encoded for the teacher's scores, the student's and two plots: four warnings
    rng = np.random.default_rng(0)
    sequences = ["".join(rng.choice(list("ACDEFGHIKLMN"), 7)) for _ in range(200)]
    pd.DataFrame({"id": range(200), "sequence": sequences,
                  "label": [int("A" in s) for s in sequences]}).to_csv(
        tmp_path / "pep.csv", index=False)
    config = write_config(tmp_path, data={"path": "pep.csv", "sequence_column": "sequence",
                                          "id_column": "id"},
                          encoder={"name": "SequenceEncoder",
                                   "params": {"alphabet": "ACDEFGHIKLM"}})
    with warnings.catch_warnings():
        warnings.simplefilter("default")
        assert fit(config) == 0
    test_warnings = [line for line in capsys.readouterr().err.splitlines()
                     if "UnknownSymbolWarning" in line and "of 50 sample(s)" in line]
    assert len(test_warnings) == 1


def test_a_warning_of_a_private_category_is_shown_as_its_public_one(tmp_path, capsys):
    # "skdistill fit: _PositiveMajorityWarning: ...", a class no filter can name
    write_fasta(tmp_path / "pu.fasta", [f"s{i}" for i in range(60)], PEPTIDES * 10,
                ["pos" if i % 6 == 0 else "unl" for i in range(60)])
    config = write_config(tmp_path, data={"path": "pu.fasta"},
                          classifier={**CLASSIFIER, "prior": 0.1})
    assert fit(config) == 0
    assert ("skdistill fit: UserWarning: The positive label of the PU data, 'unl', holds "
            in capsys.readouterr().err)


def test_a_folder_holding_a_model_file_alone_is_no_earlier_run(tmp_path):
    # the suite's folder held report.txt alone: a check for model.skd alone (not with
    # config.yaml) passed, and a user's own model.skd was replaced
    config, _ = write_csv_run(tmp_path)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "model.skd").write_bytes(b"my model")
    with pytest.raises(SystemExit) as stopped:
        fit(config)
    assert ("holds ['model.skd'], files of the names a run writes, but not the model.skd "
            "and config.yaml of an earlier run") in str(stopped.value.code)
    assert (tmp_path / "out" / "model.skd").read_bytes() == b"my model"
