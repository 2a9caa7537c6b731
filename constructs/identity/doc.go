// Package identity gives every construct of an app, the library's and the importer's
// own, the same identity machinery: the naming identity of a construct instance in its
// stack (environment, component, the stack's region for account-wide names and, for a
// PR environment whose suffix lives in Terraform state, the reference to that suffix),
// and the app's registry of physical names, which fails the synthesis when AWS would
// refuse two of them as duplicates.
//
// A team's hand-written resource gets the library's names and checks in three steps:
//
//	sc := identity.Enter(stack, "Worker")           // before defining anything
//	id, err := sc.Identity(env, "worker")           // region and PR suffix of the stack
//	name, err := id.Resource(naming.ECSService, "service")
//	... define the resource with name ...
//	sc.Claim(identity.Name{Kind: naming.ECSService, Name: name, Resource: "Service",
//		Within: clusterARN, Fix: "the worker's component"})
//
// The registry is a construct at the root of the app (RegistryID), created on first
// use; it holds no state outside the construct tree. Every stack of the app checks the
// whole registry when it is synthesized (a cdktf validation), so that a conflict
// anywhere fails the first stack written, before any file is written.
//
// Every stack a construct enters requires ProviderVersion of hashicorp/aws: the
// version the library's tests run.
//
// See docs/identity.md.
package identity
