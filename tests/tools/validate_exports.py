#!/usr/bin/env python3
"""Validates Flotilla's exports with AWS's own tools (run by scripts/test.sh, step "exports").

For every scenario file given, runs `flotilla export` into a scratch directory, then checks:
  - every ECS JSON request against botocore's ECS model (and the discovery requests against the
    elbv2, route53 and servicediscovery models, as the manifest's `api` names them): ParamValidator on the operation's input
    shape (types, required members, ranges), plus the enumerations (which ParamValidator does not
    check) against the model's enum lists; the fleet document against the output shape of
    DescribeContainerInstances;
  - every CloudFormation template (YAML and JSON) with cfn-lint: no error and no warning;
  - that the YAML template loads (PyYAML) into exactly the JSON template's data.
Each check prints `ok`/`FAIL` with the file; the last line is `N passed, M failed`.
Exit status 0 only when nothing failed.

usage: validate_exports.py FLOTILLA_BINARY SCENARIO.json...
"""

import json
import os
import subprocess
import sys
import tempfile

import botocore.session
import botocore.validate
import yaml


KNOWN_BAD_TEMPLATE = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Service:
    Type: AWS::ECS::Service
    Properties:
      PlacementStrategy:
        - Type: spread
"""


def enum_errors(shape, value, path):
    """Values outside a string shape's enum, anywhere in `value`."""
    errors = []
    if shape.type_name == "structure" and isinstance(value, dict):
        for name, member in value.items():
            if name in shape.members:
                errors += enum_errors(shape.members[name], member, f"{path}.{name}")
    elif shape.type_name == "list" and isinstance(value, list):
        for index, item in enumerate(value):
            errors += enum_errors(shape.member, item, f"{path}[{index}]")
    elif shape.type_name == "map" and isinstance(value, dict):
        for key, item in value.items():
            errors += enum_errors(shape.value, item, f"{path}.{key}")
    elif shape.type_name == "string" and shape.enum and isinstance(value, str):
        if value not in shape.enum:
            errors.append(f"{path}: {value!r} is not one of {', '.join(shape.enum)}")
    return errors


def validate_ecs(models, directory):
    """Yields (label, [errors]) for every document the manifest lists."""
    with open(os.path.join(directory, "flotilla-export.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    validator = botocore.validate.ParamValidator()
    for entry in manifest["documents"]:
        label = f"{entry['operation']} {entry['file']}"
        with open(os.path.join(directory, entry["file"]), encoding="utf-8") as f:
            body = json.load(f)
        # Discovery bodies name their AWS CLI service (elbv2, route53, servicediscovery).
        model = models[entry.get("api", "ecs")]
        operation = model.operation_model(entry["operation"])
        shape = operation.output_shape if entry.get("shape") == "output" else operation.input_shape
        report = validator.validate(body, shape)
        errors = [report.generate_report()] if report.has_errors() else []
        errors += enum_errors(shape, body, "")
        yield label, errors


def run_cfn_lint(templates):
    """{template: [messages]} for every E/W match; cfn-lint runs once for all templates."""
    # The console script sits beside this interpreter in the venv (cfnlint has no __main__).
    cfn_lint = os.path.join(os.path.dirname(sys.executable), "cfn-lint")
    result = subprocess.run(
        [cfn_lint, "--format", "json", "--", *templates],
        capture_output=True,
        text=True,
        check=False,
    )
    # An empty or non-JSON answer means cfn-lint did not run: every template fails, never passes.
    try:
        matches = json.loads(result.stdout)
        if not isinstance(matches, list):
            raise ValueError("not a list")
    except ValueError:
        return {t: [f"cfn-lint failed: {result.stdout}{result.stderr}"] for t in templates}
    found = {t: [] for t in templates}
    for match in matches:
        level = match.get("Level", "")
        if level in ("Error", "Warning"):
            location = match.get("Location", {}).get("Path", [])
            message = f"{match['Rule']['Id']} {'/'.join(map(str, location))}: {match['Message']}"
            found.setdefault(match.get("Filename", "?"), []).append(message)
    return found


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    binary, scenarios = sys.argv[1], sys.argv[2:]
    session = botocore.session.get_session()
    models = {name: session.get_service_model(name)
              for name in ("ecs", "elbv2", "route53", "servicediscovery")}
    model = models["ecs"]
    passed = failed = 0
    templates = []

    def report(label, errors):
        nonlocal passed, failed
        if errors:
            failed += 1
            print(f"FAIL {label}")
            for error in errors:
                print("     " + error.replace("\n", "\n     "))
        else:
            passed += 1
            print(f"ok   {label}")

    with tempfile.TemporaryDirectory(prefix="flotilla-exports-") as scratch:
        for scenario in scenarios:
            stem = os.path.splitext(os.path.basename(scenario))[0]
            out = os.path.join(scratch, stem)
            for export_format in ("ecs-json", "cloudformation-yaml", "cloudformation-json"):
                result = subprocess.run(
                    [binary, "export", scenario, "--format", export_format, "--out",
                     os.path.join(out, export_format)],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if result.returncode != 0:
                    report(f"{stem}: flotilla export --format {export_format}",
                           [result.stdout + result.stderr])
            ecs_dir = os.path.join(out, "ecs-json")
            if os.path.exists(os.path.join(ecs_dir, "flotilla-export.json")):
                for label, errors in validate_ecs(models, ecs_dir):
                    report(f"{stem}: botocore {label}", errors)
            pair = []
            for export_format in ("cloudformation-yaml", "cloudformation-json"):
                directory = os.path.join(out, export_format)
                for name in sorted(os.listdir(directory)) if os.path.isdir(directory) else []:
                    templates.append((stem, os.path.join(directory, name)))
                    pair.append(os.path.join(directory, name))
            if len(pair) == 2:
                with open(pair[0], encoding="utf-8") as y, open(pair[1], encoding="utf-8") as j:
                    same = yaml.safe_load(y) == json.load(j)
                report(f"{stem}: YAML template loads to the JSON template's data",
                       [] if same else ["the YAML and JSON templates differ"])
        # Controls: the tools must reject known-bad input, or a pass above means nothing.
        bad_template = os.path.join(scratch, "known-bad.yaml")
        with open(bad_template, "w", encoding="utf-8") as f:
            f.write(KNOWN_BAD_TEMPLATE)
        lint = run_cfn_lint([path for _, path in templates] + [bad_template])
        for stem, path in templates:
            report(f"{stem}: cfn-lint {os.path.basename(path)}", lint.get(path, []))
        report("control: cfn-lint rejects PlacementStrategy (singular)",
               [] if lint.get(bad_template) else ["cfn-lint found nothing wrong"])
        bad_request = {"family": "web", "cpu": 512, "networkMode": "brige",
                       "containerDefinitions": [{"name": "app", "memory": "512"}]}
        shape = model.operation_model("RegisterTaskDefinition").input_shape
        found = botocore.validate.ParamValidator().validate(bad_request, shape)
        report("control: botocore rejects integer cpu and string memory",
               [] if found.has_errors() else ["botocore found nothing wrong"])
        report("control: the enum check rejects networkMode brige",
               [] if enum_errors(shape, bad_request, "") else ["enum check found nothing"])
        read_only = {"family": "web", "containerDefinitions": [{"name": "app"}],
                     "requiresAttributes": [{"name": "ecs.capability.task-eni"}]}
        found = botocore.validate.ParamValidator().validate(read_only, shape)
        report("control: botocore rejects requiresAttributes (read-only)",
               [] if found.has_errors() else ["botocore found nothing wrong"])

        bad_group = {"Name": "web", "Protocol": "HTTPS2", "Port": "80"}
        shape = models["elbv2"].operation_model("CreateTargetGroup").input_shape
        found = botocore.validate.ParamValidator().validate(bad_group, shape)
        report("control: botocore (elbv2) rejects a string Port",
               [] if found.has_errors() else ["botocore found nothing wrong"])
        report("control: the enum check rejects Protocol HTTPS2",
               [] if enum_errors(shape, bad_group, "") else ["enum check found nothing"])

    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
