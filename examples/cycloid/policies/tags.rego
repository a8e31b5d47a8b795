package tags

deny[msg] {
  resource := input.resource_changes[_]
  not resource.change.after.tags
  msg := sprintf("%s has no tags", [resource.address])
}
