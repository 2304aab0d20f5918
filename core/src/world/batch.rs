//! RunTask and StartTask (ecs-semantics §1.2–1.5): standalone tasks placed one after another,
//! `failures[]` for those that fit nowhere, and the batch records that explanations and
//! counterfactuals read.

use super::*;

impl World {
    /// `RunTask` (§1.2–1.5): up to 10 standalone tasks placed one after another, each seeing
    /// the ones before; tasks that fit nowhere become `failures[]`, the call still succeeds.
    pub(super) fn run_task(&mut self, run: &RunTask) -> Result<(), ActionError> {
        let reference = self
            .registry
            .resolve(&run.task_definition)
            .map_err(ActionError)?;
        let definition_constraints = self.definition_constraints(&reference)?;
        if let Some((path, message)) = run.check(definition_constraints.len()).into_iter().next() {
            return Err(ActionError(format!("runTask.{path}: {message}")));
        }
        let (mut constraints, mut strategies) = action::parse_placement(
            &run.placement_constraints,
            &run.placement_strategy,
            definition_constraints.len(),
        )
        .map_err(|errors| ActionError(format!("runTask.{}: {}", errors[0].0, errors[0].1)))?;
        constraints.extend(definition_constraints);
        if strategies.is_empty() {
            strategies = Strategy::run_task_default();
        }
        let group = run
            .group
            .clone()
            .unwrap_or_else(|| format!("family:{}", reference.family));
        let count = run.count.unwrap_or(1);
        let call = BatchCall {
            kind: BatchKind::RunTask { count },
            task_definition: reference,
            group,
        };
        let subnet_zones = run
            .network_configuration
            .as_ref()
            .map(|n| n.subnet_zones())
            .unwrap_or_default();
        let targets: Vec<Option<InstanceId>> = vec![None; count as usize];
        self.launch_batch(
            call,
            constraints,
            strategies,
            subnet_zones,
            &targets,
            run.started_by.clone(),
        );
        Ok(())
    }

    /// `StartTask`: one task on each named container instance, no strategies (§1.2).
    pub(super) fn start_task(&mut self, start: &StartTask) -> Result<(), ActionError> {
        let reference = self
            .registry
            .resolve(&start.task_definition)
            .map_err(ActionError)?;
        if let Some((path, message)) = start.check().into_iter().next() {
            return Err(ActionError(format!("startTask.{path}: {message}")));
        }
        let mut targets = Vec::new();
        for name in &start.container_instances {
            targets.push(Some(self.find_instance(name)?));
        }
        let constraints = self.definition_constraints(&reference)?;
        let group = start
            .group
            .clone()
            .unwrap_or_else(|| format!("family:{}", reference.family));
        let call = BatchCall {
            kind: BatchKind::StartTask {
                container_instances: start.container_instances.clone(),
            },
            task_definition: reference,
            group,
        };
        let subnet_zones = start
            .network_configuration
            .as_ref()
            .map(|n| n.subnet_zones())
            .unwrap_or_default();
        self.launch_batch(
            call,
            constraints,
            Vec::new(),
            subnet_zones,
            &targets,
            start.started_by.clone(),
        );
        Ok(())
    }

    fn definition_constraints(
        &self,
        reference: &TaskDefinitionRef,
    ) -> Result<Vec<Constraint>, ActionError> {
        let mut constraints = Vec::new();
        if let Some(registered) = self.registry.get(reference) {
            for spec in &registered.placement_constraints {
                constraints.push(
                    Constraint::from_api(&spec.kind, spec.expression.as_deref())
                        .map_err(ActionError)?,
                );
            }
        }
        Ok(constraints)
    }

    /// Places and launches one standalone task per target (`None` = the placement engine
    /// chooses, `Some` = StartTask's named instance), records the call and one event
    /// with the started tasks and `failures[]`.
    fn launch_batch(
        &mut self,
        call: BatchCall,
        constraints: Vec<Constraint>,
        strategies: Vec<Strategy>,
        subnet_zones: Vec<String>,
        targets: &[Option<InstanceId>],
        started_by: Option<String>,
    ) {
        let (reference, group) = (call.task_definition.clone(), call.group.clone());
        let label = trace::batch_label(&call);
        let requirements = self.requirements_of(&reference);
        let mut record = BatchRecord {
            at: self.now,
            label: label.clone(),
            requirements: requirements.clone(),
            group: group.clone(),
            constraints,
            strategies,
            subnet_zones,
            started: Vec::new(),
            failures: Vec::new(),
            cluster_at_failure: None,
        };
        for target in targets {
            let request = PlacementRequest {
                requirements: &requirements,
                group: &group,
                constraints: &record.constraints,
                strategies: &record.strategies,
                subnet_zones: &record.subnet_zones,
            };
            let next_task = TaskId(self.tasks.len() as u32);
            let placed = self.placer.place(
                &self.instances,
                &mut self.rngs.placement,
                next_task,
                &request,
                *target,
                &label,
            );
            match placed {
                Ok((instance, _)) => {
                    let task = self.launch(
                        &reference,
                        TaskOwner::Standalone {
                            group: &group,
                            started_by: started_by.clone(),
                        },
                        instance,
                    );
                    record.started.push(task);
                }
                Err(decision) => {
                    if record.cluster_at_failure.is_none() {
                        record.cluster_at_failure =
                            Some((self.instances.clone(), self.task_holds()));
                    }
                    for (instance, reason) in decision.failures() {
                        let arn = self.container_instance_arn(instance);
                        let failure = Failure {
                            arn,
                            reason: reason.to_string(),
                        };
                        if !record.failures.contains(&failure) {
                            record.failures.push(failure);
                        }
                    }
                    if decision.explanation.candidates_before == 0 {
                        record.failures.push(Failure {
                            arn: String::new(),
                            reason: "MISSING".into(),
                        });
                    }
                }
            }
        }
        self.record(EventKind::BatchLaunched {
            call,
            started: record.started.clone(),
            failures: record.failures.clone(),
        });
        self.batches.push(record);
    }

    /// `arn:aws:ecs:<region>:<account>:container-instance/<cluster>/<id>`; the sandbox uses the
    /// EC2 instance id as the container instance id.
    pub fn container_instance_arn(&self, id: InstanceId) -> String {
        let instance = self.instance(id);
        let zone = &instance.availability_zone;
        let region = zone.trim_end_matches(|c: char| c.is_ascii_lowercase());
        format!(
            "arn:aws:ecs:{region}:123456789012:container-instance/default/{}",
            instance.ec2_instance_id
        )
    }
}
